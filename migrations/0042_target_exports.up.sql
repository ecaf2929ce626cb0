-- Targets in Excel (docs/DOMAIN.md §20.3): the one row layout of every target
-- export, the background export jobs, and the staging of target imports.

-- One row per active target as the exports show it: the set's cycle,
-- department, level and owner, the target's fields, the plan's status, the
-- latest verified value (the completion is worked out from it with the year's
-- cap), the day the latest report was sent and the colour of the latest slip
-- of an open supervision item serving the target.
create view target_export as
select t.id, t.set_id, t.sort_order,
       s.cycle_id, c.name as cycle_name, c.stage as cycle_stage, c.period_start as cycle_start,
       extract(year from c.period_start)::integer as cycle_year,
       s.level, s.department_id, d.name as department_name, d.sort_order as department_order,
       s.person_id,
       -- A person's set belongs to the person; a department's or the office's
       -- target names its owner (A) when it has one.
       coalesce(sp.full_name, o.full_name) as owner_name,
       coalesce(sp.username, o.username) as owner_username,
       t.title, t.category, t.kind, t.measure, t.unit, t.target_value, t.direction, t.baseline, t.weight,
       t.deadline, t.assessment_method, b.full_name as backup_name,
       s.status,
       tp.verified_value,
       (select max(day) from unnest(tp.sent_days) as sent (day)) as last_report_day,
       slip.colour as slip_colour
from target t
join target_set s on s.id = t.set_id
join cycle c on c.id = s.cycle_id
left join department d on d.id = s.department_id
left join person sp on sp.id = s.person_id
left join person o on o.id = t.owner_id
left join person b on b.id = t.backup_id
left join target_progress tp on tp.target_id = t.id
left join lateral (
    select sl.colour
    from supervision_item i
    join supervision_slip sl on sl.item_id = i.id
    where i.target_id = t.id and i.status <> 'closed'
    order by sl.issued_on desc, sl.id desc
    limit 1) slip on true
where t.active;

create index supervision_item_target_idx on supervision_item (target_id) where target_id is not null;
create index target_set_person_idx on target_set (person_id) where level = 'person';

-- An export built in the background. The file is kept in the database, so
-- whichever instance answers the download serves it.
create type export_job_state as enum ('queued', 'running', 'done', 'failed');

create table export_job (
    id           bigint generated always as identity primary key,
    requested_by bigint not null references person (id),
    -- What is exported ('targets') and with which choices (the scope, the language).
    kind         text not null,
    parameters   jsonb not null default '{}',
    state        export_job_state not null default 'queued',
    rows_done    integer not null default 0,
    rows_total   integer,
    file         bytea,
    file_name    text not null,
    created_at   timestamptz not null default now(),
    -- Moved on by the instance working on the job; a job whose heartbeat stops
    -- (its instance died) is failed by the next look at it.
    heartbeat_at timestamptz not null default now(),
    finished_at  timestamptz,
    -- Removed after some days; the row stays as the record of the export.
    file_removed_at timestamptz,
    error        text not null default '',
    constraint export_job_finished check ((state in ('done', 'failed')) = (finished_at is not null)),
    constraint export_job_rows check (rows_done >= 0 and (rows_total is null or rows_total >= 0))
);
create index export_job_requester_idx on export_job (requested_by, id desc);
create index export_job_open_idx on export_job (heartbeat_at) where state in ('queued', 'running');

-- Target imports: the rows of an uploaded file as checked, kept between the
-- preview and the confirmation so that any instance can confirm them.
create table target_import (
    id            bigint generated always as identity primary key,
    uploaded_by   bigint not null references person (id),
    uploaded_at   timestamptz not null default now(),
    cycle_id      bigint not null references cycle (id),
    department_id bigint not null references department (id),
    file_name     text not null,
    rows          jsonb not null,
    committed_at  timestamptz,
    committed_by  bigint references person (id),
    constraint target_import_committed_together check ((committed_at is null) = (committed_by is null))
);
create index target_import_uploader_idx on target_import (uploaded_by) where committed_at is null;
