-- The use of results (结果运用, docs/DOMAIN.md §19.6): earlier years' grades
-- imported from the office's files, and the records proposed from final
-- annual grades, which the performance office confirms or rejects.

-- The day the person took their current salary step (工资档次), the start of
-- its counter, beside the dates of the current rank and level (§2.6).
alter table person add column step_since date;

-- An upload of earlier grades, kept between preview and commit.
create table grade_import (
    id           bigint generated always as identity primary key,
    uploaded_by  bigint not null references person (id),
    uploaded_at  timestamptz not null default now(),
    file_name    text not null,
    rows         jsonb not null,
    committed_at timestamptz,
    committed_by bigint references person (id),
    constraint grade_import_committed_together check ((committed_at is null) = (committed_by is null))
);

-- A year's grade from before the system: one per person and year. A year the
-- system decided wins over it when the counters are worked out.
create table grade_history (
    person_id   bigint not null references person (id),
    year        integer not null,
    grade       text not null,
    import_id   bigint not null references grade_import (id),
    imported_by bigint not null references person (id),
    imported_at timestamptz not null default now(),
    primary key (person_id, year),
    constraint grade_history_year check (year between 1990 and 2100),
    constraint grade_history_grade check (grade in ('excellent', 'competent', 'basically_competent', 'incompetent', 'ungraded'))
);

create type result_use_kind as enum ('commendation', 'merit', 'salary_step', 'level', 'admonition', 'demotion', 'dismissal');
create type result_use_status as enum ('proposed', 'confirmed', 'rejected', 'withdrawn');

-- One proposal per person, year and kind, for the year that makes it due.
create table result_use_proposal (
    id            bigint generated always as identity primary key,
    person_id     bigint not null references person (id),
    year          integer not null,
    kind          result_use_kind not null,
    status        result_use_status not null default 'proposed',
    -- A confirmed proposal whose grades no longer make it due (a corrected result).
    basis_changed boolean not null default false,
    reason        text not null default '',
    proposed_at   timestamptz not null,
    decided_by    bigint references person (id),
    decided_at    timestamptz,
    version       integer not null default 1,
    constraint result_use_proposal_unique unique (person_id, year, kind),
    constraint result_use_proposal_decided check (
        (status in ('confirmed', 'rejected')) = (decided_by is not null and decided_at is not null)
    ),
    constraint result_use_proposal_reason check (status not in ('confirmed', 'rejected') or length(btrim(reason)) > 0),
    -- Four eyes: nobody decides a proposal about themselves.
    constraint result_use_proposal_four_eyes check (decided_by is distinct from person_id)
);
create index result_use_proposal_year on result_use_proposal (year, status);
