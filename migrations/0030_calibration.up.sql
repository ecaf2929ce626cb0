-- The committee's calibration before its decision (docs/DOMAIN.md §17.16): a
-- person's grade set apart from the computed one, always with a written
-- reason; applied when the cycle is decided.
create table calibration (
    cycle_id   bigint not null references cycle (id),
    person_id  bigint not null references person (id),
    grade      jsonb not null,
    reason     text not null,
    set_by     bigint not null references person (id),
    set_at     timestamptz not null,
    primary key (cycle_id, person_id),
    constraint calibration_reason check (length(btrim(reason)) > 0)
);
