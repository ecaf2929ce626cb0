-- The assessment of departments (处室考核, docs/DOMAIN.md §18.4): the year's
-- department scheme, the leaders' and peers' ballots about departments, and
-- the committee's calibration and decision with publicity.

-- Versions of a year's department scheme, each the whole `DepartmentScheme`
-- as one JSON document; a save adds the next number (two saves from the same
-- version cannot both succeed); the version a decision used is frozen.
create table department_scheme (
    id         bigint generated always as identity primary key,
    year       integer not null check (year between 2000 and 2100),
    number     integer not null check (number >= 1),
    scheme     jsonb not null,
    saved_by   bigint references person (id),
    saved_at   timestamptz not null default now(),
    constraint department_scheme_number unique (year, number),
    constraint department_scheme_document check (scheme ->> 'year' = year::text)
);

create function department_scheme_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'department_scheme % is a stored version and cannot change', old.id
        using errcode = 'check_violation';
end $$;
create trigger department_scheme_immutable before update on department_scheme
    for each row execute function department_scheme_immutable();

create type department_rater_kind as enum ('leader', 'peer');

-- Who has rated which department in a year. Tasks say only that a rater is
-- done; the ballots below do not say whose they are.
create table department_rating (
    year          integer not null,
    kind          department_rater_kind not null,
    rater_id      bigint not null references person (id),
    department_id bigint not null references department (id),
    primary key (year, kind, rater_id, department_id)
);

-- A level given to a department: no rater, no time, and a random key, so
-- neither a page nor the order of rows ties a ballot to a rater.
create table department_ballot (
    id            uuid primary key default gen_random_uuid(),
    year          integer not null,
    kind          department_rater_kind not null,
    department_id bigint not null references department (id),
    level         text not null check (level in ('excellent', 'good', 'fair', 'poor'))
);
create index department_ballot_year on department_ballot (year, department_id);

-- The committee's grade for a department before the decision, with its
-- reason; one per department and year, withdrawn by deleting it.
create table department_calibration (
    year          integer not null,
    department_id bigint not null references department (id),
    grade         text not null check (grade in ('excellent', 'good', 'fair', 'poor')),
    reason        text not null check (length(btrim(reason)) > 0),
    calibrated_by bigint not null references person (id),
    calibrated_at timestamptz not null,
    primary key (year, department_id)
);

-- Nobody calibrates the department they belong to (four eyes).
create function department_calibration_not_own() returns trigger language plpgsql as $$
begin
    if exists (select 1 from person p where p.id = new.calibrated_by and p.department_id = new.department_id) then
        raise exception 'nobody calibrates their own department' using errcode = 'check_violation';
    end if;
    return new;
end $$;
create trigger department_calibration_not_own before insert or update on department_calibration
    for each row execute function department_calibration_not_own();

-- The committee's decision of a year's department grades.
create table department_decision (
    id              bigint generated always as identity primary key,
    year            integer not null unique,
    scheme          jsonb not null,
    decided_by      bigint not null references person (id),
    decided_at      timestamptz not null,
    -- The last day of publicity (公示) of the 优秀 list; final after it.
    publicity_until date not null
);

-- Every department's frozen result: score, the grade computed, the grade
-- decided (differs only by a calibration, whose reason is kept), and the
-- whole scorecard with its measures.
create table department_result (
    decision_id    bigint not null references department_decision (id),
    department_id  bigint not null references department (id),
    score          numeric(6, 2),
    computed_grade text check (computed_grade in ('excellent', 'good', 'fair', 'poor')),
    grade          text check (grade in ('excellent', 'good', 'fair', 'poor')),
    reason         text not null default '',
    card           jsonb not null,
    primary key (decision_id, department_id)
);

-- Decisions and results are records: never rewritten.
create function department_decision_immutable() returns trigger language plpgsql as $$
begin
    raise exception '% rows are records and cannot change', tg_table_name using errcode = 'check_violation';
end $$;
create trigger department_decision_immutable before update or delete on department_decision
    for each row execute function department_decision_immutable();
create trigger department_result_immutable before update or delete on department_result
    for each row execute function department_decision_immutable();
