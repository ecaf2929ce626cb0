-- The assessment committee's decision on a cycle (docs/DOMAIN.md §17.15): the
-- grades computed at that moment are frozen as results, published for the
-- scheme's work days (公示), objections recorded and answered; an upheld
-- objection changes a result, audited. Nothing recomputes a result later.

create table assessment_decision (
    cycle_id        bigint primary key references cycle (id),
    decided_by      bigint not null references person (id),
    decided_at      timestamptz not null,
    publicity_from  date not null,
    publicity_until date not null,
    constraint assessment_decision_order check (publicity_from <= publicity_until)
);

create table assessment_result (
    cycle_id      bigint not null references assessment_decision (cycle_id),
    person_id     bigint not null references person (id),
    department_id bigint references department (id),
    score         numeric,
    -- The grade computed at the decision and the grade in force (a `DecidedGrade`).
    computed      jsonb not null,
    grade         jsonb not null,
    primary key (cycle_id, person_id)
);

create table publicity_objection (
    id          bigint generated always as identity primary key,
    cycle_id    bigint not null references assessment_decision (cycle_id),
    person_id   bigint not null references person (id),
    raised_by   bigint not null references person (id),
    raised_at   timestamptz not null,
    body        text not null,
    upheld      boolean,
    answer      text not null default '',
    answered_by bigint references person (id),
    answered_at timestamptz,
    constraint publicity_objection_body check (length(btrim(body)) > 0),
    constraint publicity_objection_answered check ((upheld is null) = (answered_by is null)),
    -- Four eyes: nobody answers an objection they raised.
    constraint publicity_objection_four_eyes check (answered_by is distinct from raised_by)
);
create index publicity_objection_cycle on publicity_objection (cycle_id);
