-- The office's work systems (docs/DOMAIN.md §18.2): meetings (会议), research
-- trips (调研), inspections (视察) and members' activities (委员活动), with
-- their preparation tasks (clocked in work days), invited and attending
-- members, output, evidence files and follow-up items. Preparation tasks
-- feed each department's timeliness on the yearly department scorecard.

create type event_kind as enum ('meeting', 'research', 'inspection', 'activity');
create type event_status as enum ('planned', 'held', 'closed', 'cancelled');

create table event (
    id                  bigint generated always as identity primary key,
    kind                event_kind not null,
    title               text not null,
    topic               text not null default '',
    starts_on           date not null,
    ends_on             date not null,
    place               text not null default '',
    -- The owner department (牵头处室): its head manages the event.
    department_id       bigint not null references department (id),
    -- The target the event serves, if any: once held it counts as progress on it.
    target_id           bigint references target (id),
    status              event_status not null default 'planned',
    -- The output, once held: summary or report text and suggestions adopted (采纳建议数).
    summary             text not null default '',
    suggestions_adopted integer not null default 0,
    -- The office day the event was marked held, by the application's clock.
    held_on             date,
    -- The progress report raised on the linked target when the event was marked held.
    progress_report_id  bigint references progress_report (id),
    created_by          bigint not null references person (id),
    created_at          timestamptz not null default now(),
    version             integer not null default 1,
    constraint event_title_present check (length(btrim(title)) > 0),
    constraint event_dates_order check (starts_on <= ends_on),
    constraint event_suggestions_not_negative check (suggestions_adopted >= 0),
    constraint event_held_has_day check (status in ('planned', 'cancelled') or held_on is not null)
);
create index event_department_idx on event (department_id, starts_on);
create index event_starts_on_idx on event (starts_on);
create index event_target_idx on event (target_id) where target_id is not null;

-- Co-departments (协办处室) of an event; never the owner department.
create table event_co_department (
    event_id      bigint not null references event (id) on delete cascade,
    department_id bigint not null references department (id),
    primary key (event_id, department_id)
);
create index event_co_department_department on event_co_department (department_id);

create function event_co_department_not_owner() returns trigger language plpgsql as $$
begin
    if exists (select 1 from event e where e.id = new.event_id and e.department_id = new.department_id) then
        raise exception 'the owner department of event % cannot also co-run it', new.event_id
            using errcode = 'check_violation', constraint = 'event_co_department_not_owner';
    end if;
    return new;
end
$$;
create trigger event_co_department_not_owner before insert or update on event_co_department
    for each row execute function event_co_department_not_owner();

-- Preparation tasks (筹备任务): each has an owner person and a responsible
-- department (by default the owner's), a due date and, once done, the office
-- day it was done on (Beijing date), which decides whether it was on time.
create table event_task (
    id            bigint generated always as identity primary key,
    event_id      bigint not null references event (id) on delete cascade,
    title         text not null,
    owner_id      bigint not null references person (id),
    department_id bigint not null references department (id),
    due_on        date not null,
    done_on       date,
    done_by       bigint references person (id),
    done_at       timestamptz,
    created_at    timestamptz not null default now(),
    version       integer not null default 1,
    constraint event_task_title_present check (length(btrim(title)) > 0),
    constraint event_task_done_together check ((done_on is null) = (done_by is null))
);
create index event_task_event_idx on event_task (event_id);
create index event_task_owner_open_idx on event_task (owner_id) where done_on is null;
create index event_task_department_due_idx on event_task (department_id, due_on);

-- Members invited to an event and, once it was held, whether they attended.
create table event_member (
    event_id   bigint not null references event (id) on delete cascade,
    member_id  bigint not null references member (id),
    invited_by bigint not null references person (id),
    invited_at timestamptz not null default now(),
    attended   boolean not null default false,
    primary key (event_id, member_id)
);
create index event_member_member_idx on event_member (member_id);

-- Follow-up items (后续落实事项) of a held event.
create table event_follow_up (
    id         bigint generated always as identity primary key,
    event_id   bigint not null references event (id) on delete cascade,
    body       text not null,
    owner_id   bigint not null references person (id),
    due_on     date not null,
    done_on    date,
    done_by    bigint references person (id),
    created_at timestamptz not null default now(),
    constraint event_follow_up_body_present check (length(btrim(body)) > 0),
    constraint event_follow_up_done_together check ((done_on is null) = (done_by is null))
);
create index event_follow_up_event_idx on event_follow_up (event_id);
create index event_follow_up_owner_open_idx on event_follow_up (owner_id) where done_on is null;

-- Evidence documents of an event are attachments owned by 'event'.
alter table attachment drop constraint attachment_owner_type_check;
alter table attachment add constraint attachment_owner_type_check
    check (owner_type in ('progress_report', 'ledger_record', 'event'));
