-- Rectification (整改, docs/DOMAIN.md §19.5): items raised from an assessment
-- result, a department result, a satisfaction survey, a supervision item, a
-- publicity objection or (later) the excellence self-assessment. An item has
-- an owner department and person, a plan, a due date and a life of steps:
-- open → in progress → submitted for verification → closed (销号), or back
-- to in progress when verification returns it, and reopened with a reason.
-- Nobody verifies, returns, closes or reopens an item they own (four eyes,
-- checked here as well as by the application). Open items may be carried
-- into the next annual cycle's targets, once each.

create type rectification_source as enum (
    'assessment_result', 'department_result', 'survey', 'supervision_item', 'publicity_objection', 'self_assessment'
);
create type rectification_status as enum ('open', 'in_progress', 'submitted', 'closed', 'reopened');
create type rectification_step_kind as enum (
    'raised', 'edited', 'progress', 'submitted', 'returned', 'closed', 'reopened', 'carried'
);

create table rectification_item (
    id                    bigint generated always as identity primary key,
    title                 text not null,
    -- What is wrong (问题描述).
    problem               text not null,
    source_kind           rectification_source not null,
    -- The source row: exactly the columns of its kind are set.
    source_cycle_id       bigint,
    source_person_id      bigint,
    source_decision_id    bigint,
    source_department_id  bigint,
    source_survey_id      bigint references survey (id),
    source_supervision_id bigint references supervision_item (id),
    source_objection_id   bigint references publicity_objection (id),
    -- The self-assessment has no rows yet: a reference in words.
    source_reference      text not null default '',
    -- The owner department (责任处室) and person (责任人).
    department_id         bigint not null references department (id),
    owner_id              bigint not null references person (id),
    -- The measures (整改措施).
    plan                  text not null default '',
    due_on                date not null,
    status                rectification_status not null default 'open',
    raised_by             bigint not null references person (id),
    raised_on             date not null,
    raised_at             timestamptz not null default now(),
    -- The close-out (销号): who, the office day and the time; cleared by a reopening.
    closed_by             bigint references person (id),
    closed_on             date,
    closed_at             timestamptz,
    -- The target of the next annual cycle the item was carried into.
    carried_target_id     bigint unique references target (id),
    version               integer not null default 1,
    constraint rectification_item_title_present check (length(btrim(title)) > 0),
    constraint rectification_item_problem_present check (length(btrim(problem)) > 0),
    constraint rectification_item_assessment_source foreign key (source_cycle_id, source_person_id)
        references assessment_result (cycle_id, person_id),
    constraint rectification_item_department_source foreign key (source_decision_id, source_department_id)
        references department_result (decision_id, department_id),
    constraint rectification_item_source check (
        num_nonnulls(source_cycle_id, source_decision_id, source_survey_id, source_supervision_id, source_objection_id)
            = case when source_kind = 'self_assessment' then 0 else 1 end
        and (source_cycle_id is null) = (source_person_id is null)
        and (source_decision_id is null) = (source_department_id is null)
        and case source_kind
            when 'assessment_result' then source_cycle_id is not null
            when 'department_result' then source_decision_id is not null
            when 'survey' then source_survey_id is not null
            when 'supervision_item' then source_supervision_id is not null
            when 'publicity_objection' then source_objection_id is not null
            else length(btrim(source_reference)) > 0
        end
    ),
    constraint rectification_item_closed_together check (
        (status = 'closed') = (closed_by is not null)
        and (closed_by is null) = (closed_on is null)
        and (closed_by is null) = (closed_at is null)
    ),
    -- Four eyes: the owner never closes their own item.
    constraint rectification_item_four_eyes check (closed_by is distinct from owner_id)
);
create index rectification_item_department_idx on rectification_item (department_id, status);
create index rectification_item_owner_open_idx on rectification_item (owner_id) where status <> 'closed';
create index rectification_item_due_idx on rectification_item (due_on);
create index rectification_item_assessment_idx on rectification_item (source_person_id) where source_person_id is not null;

-- Every step of an item: raised, edited, a progress update (dated text, with
-- evidence files owned by the step), submitted, returned, closed, reopened,
-- carried into targets.
create table rectification_step (
    id       bigint generated always as identity primary key,
    item_id  bigint not null references rectification_item (id),
    kind     rectification_step_kind not null,
    actor_id bigint not null references person (id),
    -- The office day of the step.
    on_day   date not null,
    at       timestamptz not null default now(),
    note     text not null default '',
    constraint rectification_step_note_present check (
        kind not in ('progress', 'returned', 'reopened') or length(btrim(note)) > 0
    )
);
create index rectification_step_item_idx on rectification_step (item_id, id);

-- Four eyes: the owner of an item never verifies (closes or returns) or reopens it.
create function rectification_step_four_eyes() returns trigger language plpgsql as $$
begin
    if new.kind in ('closed', 'returned', 'reopened')
       and exists (select 1 from rectification_item i where i.id = new.item_id and i.owner_id = new.actor_id) then
        raise exception 'the owner of rectification item % cannot verify or reopen it', new.item_id
            using errcode = 'check_violation', constraint = 'rectification_step_four_eyes';
    end if;
    return new;
end
$$;
create trigger rectification_step_four_eyes before insert or update on rectification_step
    for each row execute function rectification_step_four_eyes();

-- Evidence of progress updates are attachments owned by 'rectification_step'.
-- The allowed owner types are extended rather than restated, so that other
-- owners added by other migrations stay allowed.
do $$
declare definition text;
begin
    select pg_get_constraintdef(oid) into definition from pg_constraint
    where conrelid = 'attachment'::regclass and conname = 'attachment_owner_type_check';
    alter table attachment drop constraint attachment_owner_type_check;
    execute 'alter table attachment add constraint attachment_owner_type_check '
        || replace(definition, 'ARRAY[', 'ARRAY[''rectification_step''::text, ');
end
$$;
