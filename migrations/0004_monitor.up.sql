-- Stage 2, monitor implementation: progress reports with evidence, supervision
-- items and their slips, the bonus/penalty ledger, service commitment cases,
-- absences (A/B cover) and notifications.

-- Files stored in the database, so every instance sees them and a backup holds them.
create table attachment (
    id           bigint generated always as identity primary key,
    -- What the file belongs to: 'progress_report' or 'ledger_record'.
    owner_type   text not null check (owner_type in ('progress_report', 'ledger_record')),
    owner_id     bigint not null,
    file_name    text not null,
    content_type text not null,
    size_bytes   integer not null check (size_bytes > 0),
    sha256       text not null,
    bytes        bytea not null,
    uploaded_by  bigint not null references person (id),
    uploaded_at  timestamptz not null default now()
);
create index attachment_owner_idx on attachment (owner_type, owner_id);

create type progress_state as enum ('on_track', 'at_risk', 'behind', 'done');
create type report_status as enum ('submitted', 'returned', 'verified');

-- One report per target per reporting period; a verified report is frozen and
-- a correction is a new report for the same period.
create table progress_report (
    id             bigint generated always as identity primary key,
    target_id      bigint not null references target (id),
    period_start   date not null,
    period_end     date not null,
    reported_value numeric(14, 2),
    state          progress_state not null,
    narrative      text not null default '',
    problems       text not null default '',
    next_steps     text not null default '',
    status         report_status not null default 'submitted',
    submitted_by   bigint not null references person (id),
    -- Set when B reported while covering for A.
    acting_for     bigint references person (id),
    submitted_at   timestamptz not null default now(),
    audited_value  numeric(14, 2),
    verify_comment text not null default '',
    return_reason  text not null default '',
    decided_by     bigint references person (id),
    decided_at     timestamptz,
    -- A correction names the verified report it corrects.
    corrects_id    bigint references progress_report (id),
    version        integer not null default 1,
    constraint progress_report_period_order check (period_start <= period_end)
);
create index progress_report_target_idx on progress_report (target_id, period_start);
-- At most one open (not verified) report per target and period.
create unique index progress_report_one_open on progress_report (target_id, period_start) where status <> 'verified';

create type supervision_source as enum (
    'meeting_decision', 'leader_instruction', 'assigned_from_above', 'annual_key_task', 'member_opinion'
);
create type supervision_status as enum (
    'registered', 'assigned', 'acknowledged', 'in_progress', 'done_reported', 'verified', 'closed'
);
create type slip_colour as enum ('blue', 'yellow', 'red');

create table supervision_item (
    id               bigint generated always as identity primary key,
    title            text not null,
    content          text not null default '',
    source           supervision_source not null,
    department_id    bigint not null references department (id),
    assignee_id      bigint references person (id),
    opened_by        bigint not null references person (id),
    due_date         date not null,
    report_frequency report_frequency not null default 'monthly',
    status           supervision_status not null default 'registered',
    -- How often a done report was rejected; two make the item yellow.
    return_count     integer not null default 0,
    version          integer not null default 1,
    created_at       timestamptz not null default now(),
    closed_at        timestamptz,
    constraint supervision_item_title_present check (length(btrim(title)) > 0)
);
create index supervision_item_department_idx on supervision_item (department_id, status);

-- Every step of an item, with its time.
create table supervision_event (
    id          bigint generated always as identity primary key,
    item_id     bigint not null references supervision_item (id),
    at          timestamptz not null default now(),
    actor_id    bigint references person (id),
    from_status supervision_status,
    to_status   supervision_status,
    note        text not null default ''
);
create index supervision_event_item_idx on supervision_event (item_id, at);

-- Three-colour supervision slips (三色督办单): issued by the daily task, reissued
-- weekly until the item is closed; each must be answered within 10 work days.
create table supervision_slip (
    id          bigint generated always as identity primary key,
    item_id     bigint not null references supervision_item (id),
    colour      slip_colour not null,
    issued_on   date not null,
    answer_due  date not null,
    answered_at timestamptz,
    answer      text not null default '',
    answered_by bigint references person (id),
    -- ISO year and week of the issue: one slip per item, colour and week.
    issue_week  text not null,
    constraint supervision_slip_once_a_week unique (item_id, colour, issue_week)
);
create index supervision_slip_item_idx on supervision_slip (item_id, issued_on);

-- The standard list of bonus and penalty items, kept by the performance office.
create table ledger_item (
    id                bigint generated always as identity primary key,
    code              text not null,
    text              text not null,
    points            numeric(5, 2) not null,
    cap               numeric(5, 2),
    evidence_required boolean not null default true,
    active            boolean not null default true,
    version           integer not null default 1,
    constraint ledger_item_code_unique unique (code),
    constraint ledger_item_points_nonzero check (points <> 0)
);

create type ledger_status as enum ('pending', 'accepted', 'rejected');
create table ledger_record (
    id            bigint generated always as identity primary key,
    item_id       bigint not null references ledger_item (id),
    person_id     bigint references person (id),
    department_id bigint references department (id),
    occurred_on   date not null,
    -- The item's points when the record was made (a later change of the item does not rewrite history).
    points        numeric(5, 2) not null,
    reason        text not null,
    -- Set for records the system proposed itself, e.g. 'supervision_slip:12'; unique so a rerun adds nothing.
    source_key    text,
    status        ledger_status not null default 'pending',
    proposed_by   bigint references person (id),
    proposed_at   timestamptz not null default now(),
    reviewed_by   bigint references person (id),
    reviewed_at   timestamptz,
    review_note   text not null default '',
    version       integer not null default 1,
    constraint ledger_record_subject check ((person_id is null) <> (department_id is null)),
    constraint ledger_record_reason_present check (length(btrim(reason)) > 0),
    constraint ledger_record_source_unique unique (source_key)
);
create index ledger_record_status_idx on ledger_record (status, occurred_on);

-- Every record takes its item's points at the time, whoever inserts it.
create function ledger_record_take_points() returns trigger language plpgsql as $$
begin
    select points into new.points from ledger_item where id = new.item_id;
    return new;
end;
$$;
create trigger ledger_record_points
    before insert on ledger_record
    for each row execute function ledger_record_take_points();

-- Cases served under a service commitment: kept when done within its time limit in work days.
create table commitment_case (
    id            bigint generated always as identity primary key,
    commitment_id bigint not null references service_commitment (id),
    subject       text not null,
    received_on   date not null,
    done_on       date,
    recorded_by   bigint not null references person (id),
    created_at    timestamptz not null default now(),
    version       integer not null default 1,
    constraint commitment_case_order check (done_on is null or done_on >= received_on)
);
create index commitment_case_commitment_idx on commitment_case (commitment_id, received_on);

create type absence_kind as enum ('leave', 'travel', 'secondment', 'other');
create table absence (
    id          bigint generated always as identity primary key,
    person_id   bigint not null references person (id),
    from_date   date not null,
    to_date     date not null,
    kind        absence_kind not null,
    note        text not null default '',
    recorded_by bigint not null references person (id),
    active      boolean not null default true,
    created_at  timestamptz not null default now(),
    constraint absence_order check (from_date <= to_date)
);
create index absence_person_idx on absence (person_id, from_date, to_date);

-- In-app notifications; `dedupe_key` makes the background task idempotent.
create table notification (
    id         bigint generated always as identity primary key,
    person_id  bigint not null references person (id),
    -- The locale key of the message and its arguments.
    message    text not null,
    args       jsonb not null default '{}',
    link       text not null default '',
    dedupe_key text,
    created_at timestamptz not null default now(),
    read_at    timestamptz,
    constraint notification_dedupe_unique unique (dedupe_key)
);
create index notification_person_idx on notification (person_id, read_at, created_at desc);

-- Settings of the monitoring stage the performance office may change.
create table monitor_setting (
    id                      boolean primary key default true check (id),
    report_due_workdays     integer not null default 5,
    slip_blue_workdays      integer not null default 3,
    slip_answer_workdays    integer not null default 10,
    max_upload_bytes        integer not null default 20971520
);
insert into monitor_setting default values;
