create table monitor_setting (
    id                      boolean primary key default true check (id),
    report_due_workdays     integer not null default 5,
    slip_blue_workdays      integer not null default 3,
    slip_answer_workdays    integer not null default 10,
    max_upload_bytes        integer not null default 20971520
);
-- The earliest year's values (the one-row table has no years), else the defaults.
insert into monitor_setting (report_due_workdays, slip_blue_workdays, slip_answer_workdays, max_upload_bytes)
select coalesce((s.settings ->> 'report_due_workdays')::integer, 5),
       coalesce((s.settings ->> 'slip_blue_workdays')::integer, 3),
       coalesce((s.settings ->> 'slip_answer_workdays')::integer, 10),
       coalesce((s.settings ->> 'max_upload_mib')::integer * 1048576, 20971520)
from (select null::integer as year) d
left join lateral (select settings from office_setting order by year limit 1) s on true;

drop function office_setting_value(integer, text);
drop table office_setting;
