drop index cycle_annual_cycle;
alter table cycle
    drop constraint cycle_annual_not_itself,
    drop constraint cycle_annual_only_for_quarters,
    drop column annual_cycle_id;
