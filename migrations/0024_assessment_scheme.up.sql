-- Criteria schemes (考核方案, docs/DOMAIN.md §17.10): the versions of each
-- year's scheme per target group, each the whole `Scheme` as one JSON
-- document. A version is never rewritten: every save of the editor adds the
-- next version number, so the history can be compared version by version.
-- A version is frozen once a cycle enters assessment with it; the cycle keeps
-- that version (`cycle_scheme`) whatever is saved later.

create table assessment_scheme (
    id            bigint generated always as identity primary key,
    year          integer not null check (year between 2000 and 2100),
    target_group  text not null check (target_group in ('staff', 'department_heads')),
    -- 1, 2, 3 … within (year, target group); the next save takes the next
    -- number, so two saves from the same version cannot both succeed.
    number        integer not null check (number >= 1),
    scheme        jsonb not null,
    -- The version it was saved from (null for the first of a year).
    based_on      bigint references assessment_scheme (id),
    saved_by      bigint references person (id),
    saved_at      timestamptz not null default now(),
    -- Set when the first cycle enters assessment with this version.
    frozen_at     timestamptz,
    constraint assessment_scheme_number unique (year, target_group, number),
    constraint assessment_scheme_document check (
        scheme ->> 'year' = year::text and scheme ->> 'target' = target_group
    )
);

-- The version each cycle entered assessment with, per target group.
create table cycle_scheme (
    cycle_id      bigint not null references cycle (id),
    target_group  text not null check (target_group in ('staff', 'department_heads')),
    scheme_id     bigint not null references assessment_scheme (id),
    linked_at     timestamptz not null default now(),
    primary key (cycle_id, target_group)
);
create index cycle_scheme_scheme on cycle_scheme (scheme_id);

-- A stored version keeps its document, year, group and number for ever; only
-- the freeze marker is set once (and never cleared). A version a cycle uses
-- cannot be deleted either: `cycle_scheme` refers to it.
create function assessment_scheme_immutable() returns trigger language plpgsql as $$
begin
    if new.scheme is distinct from old.scheme or new.year <> old.year
       or new.target_group <> old.target_group or new.number <> old.number
       or new.based_on is distinct from old.based_on
       or (old.frozen_at is not null and new.frozen_at is distinct from old.frozen_at) then
        raise exception 'assessment_scheme % is a stored version and cannot change', old.id
            using errcode = 'check_violation';
    end if;
    return new;
end $$;

create trigger assessment_scheme_immutable before update on assessment_scheme
    for each row execute function assessment_scheme_immutable();
