-- The excellence self-assessment (卓越绩效自评, docs/DOMAIN.md §21): the office
-- scores itself once a year against the excellence criteria (GB/T 19580).
--
-- The standard is data, kept per year: categories and their items, each item
-- with its points, its kind (a process item, scored by approach, deployment,
-- learning and integration; or a results item, scored by levels, trends,
-- comparisons and integration), the questions assessors answer and, for
-- results items, the system's measures that pre-fill it. A category's points
-- are the sum of its items'.

create type excellence_item_kind as enum ('process', 'results');
create type excellence_stage as enum ('scoring', 'consensus', 'completed');
create type excellence_finding_kind as enum ('strength', 'improvement');

create table excellence_category (
    id         bigint generated always as identity primary key,
    year       integer not null,
    -- The clause of the standard, e.g. "4.1".
    code       text not null,
    name       text not null,
    name_en    text not null default '',
    sort_order integer not null,
    unique (year, code),
    constraint excellence_category_name_present check (length(btrim(name)) > 0)
);

create table excellence_item (
    id           bigint generated always as identity primary key,
    category_id  bigint not null references excellence_category (id),
    code         text not null,
    name         text not null,
    name_en      text not null default '',
    points       integer not null,
    kind         excellence_item_kind not null,
    -- The questions shown to assessors, one a line.
    questions    text not null default '',
    questions_en text not null default '',
    -- The measured figures that pre-fill a results item (codes of docs/DOMAIN.md §21.3).
    measures     text[] not null default '{}',
    sort_order   integer not null,
    version      integer not null default 1,
    unique (category_id, code),
    constraint excellence_item_name_present check (length(btrim(name)) > 0),
    constraint excellence_item_points_range check (points between 1 and 1000),
    constraint excellence_item_measures_of_results check (kind = 'results' or cardinality(measures) = 0)
);

-- One year's self-assessment: scoring (each assessor alone), then consensus
-- (the performance office records the agreed score of every item), then
-- completed (read only; improvement findings may still become rectification).
create table excellence_assessment (
    id             bigint generated always as identity primary key,
    year           integer not null unique,
    stage          excellence_stage not null default 'scoring',
    opened_by      bigint not null references person (id),
    opened_on      date not null,
    completed_by   bigint references person (id),
    completed_on   date,
    -- Who the office compares itself with (e.g. the province's best office).
    benchmark_name text not null default '',
    -- The office day the measured figures were last taken from the system.
    figures_on     date,
    version        integer not null default 1,
    constraint excellence_assessment_completed_together check (
        (stage = 'completed') = (completed_by is not null) and (completed_by is null) = (completed_on is null)
    )
);

-- Who scores: the performance office and the leaders when a year is opened,
-- and department heads the performance office invites.
create table excellence_assessor (
    assessment_id bigint not null references excellence_assessment (id),
    person_id     bigint not null references person (id),
    added_by      bigint not null references person (id),
    added_at      timestamptz not null default now(),
    primary key (assessment_id, person_id)
);

-- An assessor's own score of an item: a band of the standard's scoring
-- guidelines (1–6) and a percentage inside it; the band limits are settings,
-- so the application checks the percentage against them.
create table excellence_score (
    assessment_id bigint not null,
    item_id       bigint not null references excellence_item (id),
    assessor_id   bigint not null,
    band          smallint not null,
    percent       smallint not null,
    note          text not null default '',
    scored_at     timestamptz not null default now(),
    version       integer not null default 1,
    primary key (assessment_id, item_id, assessor_id),
    foreign key (assessment_id, assessor_id) references excellence_assessor (assessment_id, person_id),
    constraint excellence_score_band_range check (band between 1 and 6),
    constraint excellence_score_percent_range check (percent between 0 and 100)
);

-- The agreed score of an item, with the reason the team gave.
create table excellence_consensus (
    assessment_id bigint not null references excellence_assessment (id),
    item_id       bigint not null references excellence_item (id),
    band          smallint not null,
    percent       smallint not null,
    reason        text not null,
    decided_by    bigint not null references person (id),
    decided_at    timestamptz not null default now(),
    version       integer not null default 1,
    primary key (assessment_id, item_id),
    constraint excellence_consensus_band_range check (band between 1 and 6),
    constraint excellence_consensus_percent_range check (percent between 0 and 100),
    constraint excellence_consensus_reason_present check (length(btrim(reason)) > 0)
);

-- Strengths and opportunities for improvement (OFI) of an item, with evidence
-- (links into the system or elsewhere, one a line). An improvement may become
-- a rectification item, once.
create table excellence_finding (
    id               bigint generated always as identity primary key,
    assessment_id    bigint not null references excellence_assessment (id),
    item_id          bigint not null references excellence_item (id),
    kind             excellence_finding_kind not null,
    body             text not null,
    evidence         text not null default '',
    written_by       bigint not null references person (id),
    written_at       timestamptz not null default now(),
    rectification_id bigint unique references rectification_item (id),
    constraint excellence_finding_body_present check (length(btrim(body)) > 0),
    constraint excellence_finding_rectification_of_improvement check (kind = 'improvement' or rectification_id is null)
);
create index excellence_finding_item_idx on excellence_finding (assessment_id, item_id);

-- The measured figures a results item shows, as taken from the system: per
-- measure, year and department (null: the office), the counted part and whole
-- (or, for the satisfaction index and completion, the value itself).
create table excellence_figure (
    assessment_id bigint not null references excellence_assessment (id),
    measure       text not null,
    year          integer not null,
    department_id bigint references department (id),
    part          bigint,
    whole         bigint,
    value         numeric(7, 2),
    -- The page the figure came from.
    source        text not null,
    unique nulls not distinct (assessment_id, measure, year, department_id)
);

-- The office's benchmark per measure (e.g. the province's best office).
create table excellence_benchmark (
    assessment_id bigint not null references excellence_assessment (id),
    measure       text not null,
    value         numeric(7, 2) not null,
    primary key (assessment_id, measure),
    constraint excellence_benchmark_range check (value between 0 and 100)
);
