-- A quarterly (平时) cycle belongs to its year's annual cycle (docs/DOMAIN.md
-- §5.1): the annual score is computed over the quarters of its year.
alter table cycle
    add column annual_cycle_id bigint references cycle (id),
    add constraint cycle_annual_only_for_quarters check (annual_cycle_id is null or kind = 'quarterly'),
    add constraint cycle_annual_not_itself check (annual_cycle_id is distinct from id);
create index cycle_annual_cycle on cycle (annual_cycle_id) where annual_cycle_id is not null;
