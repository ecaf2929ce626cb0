-- Stage 1, plan targets: cycles, the work-day calendar, target sets and targets,
-- their revisions and change requests, post templates and service commitments.

create type cycle_kind as enum ('annual', 'quarterly', 'special');
create type cycle_stage as enum ('planning', 'implementation', 'assessment', 'feedback', 'closed');
create type report_frequency as enum ('monthly', 'quarterly');

create table cycle (
    id                   bigint generated always as identity primary key,
    name                 text not null,
    kind                 cycle_kind not null,
    period_start         date not null,
    period_end           date not null,
    stage                cycle_stage not null default 'planning',
    -- Planned end dates of the stages; moving a stage is a decision of the performance office.
    planning_until       date not null,
    implementation_until date not null,
    assessment_until     date not null,
    feedback_until       date not null,
    report_frequency     report_frequency not null default 'monthly',
    -- Participants: everyone active, or only chosen departments and people.
    all_participants     boolean not null default true,
    version              integer not null default 1,
    created_at           timestamptz not null default now(),
    constraint cycle_name_unique unique (name),
    constraint cycle_name_present check (length(btrim(name)) > 0),
    constraint cycle_period_order check (period_start <= period_end),
    constraint cycle_stage_dates_order check (
        planning_until <= implementation_until and implementation_until <= assessment_until
        and assessment_until <= feedback_until
    )
);

create table cycle_department (
    cycle_id      bigint not null references cycle (id),
    department_id bigint not null references department (id),
    primary key (cycle_id, department_id)
);

create table cycle_person (
    cycle_id  bigint not null references cycle (id),
    person_id bigint not null references person (id),
    primary key (cycle_id, person_id)
);

-- The office's own calendar: overrides of the Monday–Friday rule.
create type day_kind as enum ('holiday', 'workday');
create table work_calendar (
    day  date primary key,
    kind day_kind not null,
    name text not null default ''
);

create type target_level as enum ('office', 'department', 'person');
create type target_category as enum ('key_work', 'routine', 'service_commitment', 'innovation', 'supervision');
create type target_direction as enum ('higher_better', 'lower_better');
create type plan_status as enum ('draft', 'submitted', 'returned', 'approved');

-- The targets of one owner in one cycle: the unit that is submitted, returned and approved.
create table target_set (
    id            bigint generated always as identity primary key,
    cycle_id      bigint not null references cycle (id),
    level         target_level not null,
    -- The department owning a department set, or the owner's department for a person set.
    department_id bigint references department (id),
    person_id     bigint references person (id),
    status        plan_status not null default 'draft',
    return_reason text not null default '',
    submitted_at  timestamptz,
    decided_at    timestamptz,
    decided_by    bigint references person (id),
    version       integer not null default 1,
    constraint target_set_owner check (
        (level = 'office' and department_id is null and person_id is null)
        or (level = 'department' and department_id is not null and person_id is null)
        or (level = 'person' and person_id is not null)
    )
);
create unique index target_set_office_unique on target_set (cycle_id) where level = 'office';
create unique index target_set_department_unique on target_set (cycle_id, department_id) where level = 'department';
create unique index target_set_person_unique on target_set (cycle_id, person_id) where level = 'person';
create index target_set_status_idx on target_set (cycle_id, status);

create table target (
    id                  bigint generated always as identity primary key,
    set_id              bigint not null references target_set (id),
    parent_id           bigint references target (id),
    post_id             bigint references post (id),
    title               text not null,
    category            target_category not null,
    measure             text not null default '',
    unit                text not null default '',
    target_value        numeric(14, 2),
    direction           target_direction not null default 'higher_better',
    baseline            numeric(14, 2),
    weight              numeric(6, 2) not null default 0,
    deadline            date,
    quality_requirement text not null default '',
    assessment_method   text not null default '',
    evidence_required   text not null default '',
    owner_id            bigint references person (id),
    backup_id           bigint references person (id),
    sort_order          integer not null default 0,
    -- Withdrawn targets stay for the record but no longer count.
    active              boolean not null default true,
    version             integer not null default 1,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    constraint target_title_present check (length(btrim(title)) > 0),
    constraint target_weight_range check (weight >= 0 and weight <= 100)
);
create index target_set_idx on target (set_id);
create index target_parent_idx on target (parent_id);
create index target_owner_idx on target (owner_id);

-- Every approved change of a target after approval (动态管理), and the creation.
create table target_revision (
    id         bigint generated always as identity primary key,
    target_id  bigint not null references target (id),
    changed_by bigint references person (id),
    changed_at timestamptz not null default now(),
    reason     text not null,
    old_values jsonb not null default '{}',
    new_values jsonb not null
);
create index target_revision_target_idx on target_revision (target_id, changed_at);

create type change_status as enum ('pending', 'approved', 'rejected');
create table target_change (
    id            bigint generated always as identity primary key,
    target_id     bigint not null references target (id),
    requested_by  bigint not null references person (id),
    requested_at  timestamptz not null default now(),
    -- policy change, reorganisation or force majeure, in the requester's words
    reason        text not null,
    proposed      jsonb not null,
    status        change_status not null default 'pending',
    decided_by    bigint references person (id),
    decided_at    timestamptz,
    decision_note text not null default '',
    version       integer not null default 1,
    constraint target_change_reason_present check (length(btrim(reason)) > 0)
);
create unique index target_change_one_pending on target_change (target_id) where status = 'pending';

-- Targets a post usually carries, to pre-fill a holder's plan (岗位目标模板).
create table post_target_template (
    id                  bigint generated always as identity primary key,
    post_id             bigint not null references post (id),
    title               text not null,
    category            target_category not null,
    measure             text not null default '',
    unit                text not null default '',
    target_value        numeric(14, 2),
    direction           target_direction not null default 'higher_better',
    weight              numeric(6, 2) not null default 0,
    quality_requirement text not null default '',
    assessment_method   text not null default '',
    evidence_required   text not null default '',
    sort_order          integer not null default 0,
    version             integer not null default 1,
    constraint post_target_template_title_present check (length(btrim(title)) > 0)
);
create index post_target_template_post_idx on post_target_template (post_id);

-- Public promises of a department or a post (服务承诺制).
create table service_commitment (
    id              bigint generated always as identity primary key,
    department_id   bigint not null references department (id),
    post_id         bigint references post (id),
    service         text not null,
    standard        text not null,
    time_limit_days integer not null,
    active          boolean not null default true,
    version         integer not null default 1,
    created_at      timestamptz not null default now(),
    constraint service_commitment_service_present check (length(btrim(service)) > 0),
    constraint service_commitment_limit_positive check (time_limit_days > 0)
);
create index service_commitment_department_idx on service_commitment (department_id);

-- Who takes part in a cycle: active staff, all of them or those of the chosen
-- departments plus the chosen people. The one definition every query uses.
create view cycle_participant as
select c.id as cycle_id, p.id as person_id, p.department_id
from cycle c
join person p on p.active
where exists (select 1 from role_grant g where g.person_id = p.id and g.role = 'staff')
  and (c.all_participants
       or exists (select 1 from cycle_department cd where cd.cycle_id = c.id and cd.department_id = p.department_id)
       or exists (select 1 from cycle_person cp where cp.cycle_id = c.id and cp.person_id = p.id));

-- Which role decides a set: the department head for staff sets, the
-- supervising leader for department sets and for a head's own set.
create view target_set_approval as
select s.id as set_id, s.department_id,
       case when s.level = 'department'
                 or exists (select 1 from role_grant g where g.person_id = s.person_id
                            and g.role = 'department_head' and g.department_id = s.department_id)
            then 'supervising_leader'::role_kind
            else 'department_head'::role_kind end as approver_role
from target_set s
where s.level <> 'office';
