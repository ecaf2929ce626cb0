-- Stage 4, track feedback (docs/DOMAIN.md §19.1–§19.3): every version of a
-- frozen result, the written notice of each final version and its
-- acknowledgement, and the feedback interview.

-- A result's versions: version 1 is the decision; an upheld objection, a
-- review or an appeal that corrects the result adds the next one. The
-- result row keeps the version in force.
alter table assessment_result add column version integer not null default 1;

create table assessment_result_version (
    cycle_id   bigint not null,
    person_id  bigint not null,
    version    integer not null,
    score      numeric,
    grade      jsonb not null,
    source     text not null check (source in ('decision', 'objection', 'review', 'appeal')),
    source_id  bigint,
    reason     text not null default '',
    changed_by bigint not null references person (id),
    changed_at timestamptz not null,
    primary key (cycle_id, person_id, version),
    foreign key (cycle_id, person_id) references assessment_result (cycle_id, person_id),
    constraint assessment_result_version_first check ((version = 1) = (source = 'decision'))
);

-- Version 1 of every result, written with the result by the decision.
create function assessment_result_first_version() returns trigger language plpgsql as $$
begin
    insert into assessment_result_version (cycle_id, person_id, version, score, grade, source, changed_by, changed_at)
    select new.cycle_id, new.person_id, 1, new.score, new.grade, 'decision', d.decided_by, d.decided_at
    from assessment_decision d where d.cycle_id = new.cycle_id;
    return new;
end $$;
create trigger assessment_result_first_version after insert on assessment_result
    for each row execute function assessment_result_first_version();

insert into assessment_result_version (cycle_id, person_id, version, score, grade, source, changed_by, changed_at)
select r.cycle_id, r.person_id, 1, r.score, r.computed, 'decision', d.decided_by, d.decided_at
from assessment_result r join assessment_decision d on d.cycle_id = r.cycle_id;

-- Results already changed by an upheld objection get their second version.
insert into assessment_result_version (cycle_id, person_id, version, score, grade, source, source_id, reason, changed_by, changed_at)
select r.cycle_id, r.person_id, 2, r.score, r.grade, 'objection', o.id, o.answer, o.answered_by, o.answered_at
from assessment_result r
join lateral (
    select id, answer, answered_by, answered_at from publicity_objection
    where cycle_id = r.cycle_id and person_id = r.person_id and upheld
    order by answered_at desc limit 1
) o on true
where r.grade <> r.computed;
update assessment_result r set version = 2
where exists (select 1 from assessment_result_version v
              where v.cycle_id = r.cycle_id and v.person_id = r.person_id and v.version = 2);

-- The written notice (书面通知) of one version of a final annual result.
create table result_notice (
    id              bigint generated always as identity primary key,
    cycle_id        bigint not null,
    person_id       bigint not null references person (id),
    result_version  integer not null,
    issued_on       date not null,
    -- The last day the notice was due: the configured work days after the
    -- result became final (or after the correction).
    due_on          date not null,
    acknowledged_at timestamptz,
    opinion         text not null default '',
    foreign key (cycle_id, person_id, result_version)
        references assessment_result_version (cycle_id, person_id, version),
    unique (cycle_id, person_id, result_version),
    constraint result_notice_opinion check (acknowledged_at is not null or opinion = '')
);
create index result_notice_person on result_notice (person_id);
create index result_notice_open on result_notice (cycle_id) where acknowledged_at is null;

-- The feedback interview (绩效面谈) about a person's result in a cycle.
create table feedback_interview (
    id              bigint generated always as identity primary key,
    cycle_id        bigint not null,
    person_id       bigint not null references person (id),
    interviewer_id  bigint not null references person (id),
    scheduled_at    timestamptz not null,
    place           text not null default '',
    held_on         date,
    strengths       text not null default '',
    gaps            text not null default '',
    goals           text not null default '',
    actions         text not null default '',
    -- The interviewer's own note: never shown to the person (§19.2).
    private_note    text not null default '',
    confirmed_at    timestamptz,
    person_comment  text not null default '',
    version         integer not null default 1,
    foreign key (cycle_id, person_id) references assessment_result (cycle_id, person_id),
    unique (cycle_id, person_id),
    -- Four eyes: nobody interviews themselves.
    constraint feedback_interview_not_self check (interviewer_id <> person_id),
    constraint feedback_interview_record check (held_on is not null or confirmed_at is null)
);
create index feedback_interview_interviewer on feedback_interview (interviewer_id);
