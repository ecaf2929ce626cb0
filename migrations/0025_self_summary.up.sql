-- Self-summaries (个人总结) and heads' duty reports (述职报告), docs/DOMAIN.md
-- §17.11: one per cycle and participant, written while the cycle is in
-- assessment, submitted to the head (a head's own 述职 to the supervising
-- leader), who accepts it or returns it with a reason.

create type summary_kind as enum ('personal', 'duty_report');
create type summary_status as enum ('draft', 'submitted', 'returned', 'accepted');

create table self_summary (
    id                 bigint generated always as identity primary key,
    cycle_id           bigint not null references cycle (id) on delete cascade,
    person_id          bigint not null references person (id),
    -- The department the person takes part for (cycle_participant), at the first save.
    department_id      bigint references department (id),
    kind               summary_kind not null,
    status             summary_status not null default 'draft',
    body               text not null default '',
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    -- The first submission decides lateness; a resubmission after a return does not.
    first_submitted_at timestamptz,
    submitted_at       timestamptz,
    decided_by         bigint references person (id),
    decided_at         timestamptz,
    return_reason      text not null default '',
    version            integer not null default 1,
    constraint self_summary_one_per_cycle unique (cycle_id, person_id),
    constraint self_summary_return_reason check (status <> 'returned' or length(btrim(return_reason)) > 0),
    constraint self_summary_submitted check (status = 'draft' or submitted_at is not null),
    -- Four eyes: nobody decides their own summary.
    constraint self_summary_not_self_decided check (decided_by is distinct from person_id)
);
create index self_summary_person on self_summary (person_id);
