-- The numbers the performance office sets, one row per year (docs/DOMAIN.md §1.4).
-- `settings` holds the year's values by name; a name missing from a row, and a
-- year without a row of its own, take the values the application ships
-- (`domain::settings::Settings::default`), so a new setting needs no migration.
-- A year without its own row uses the nearest earlier year's row.
create table office_setting (
    year       integer primary key,
    settings   jsonb not null default '{}',
    version    integer not null default 1,
    updated_at timestamptz not null default now(),
    updated_by bigint references person (id),
    constraint office_setting_year_range check (year between 2000 and 2100),
    constraint office_setting_is_object check (jsonb_typeof(settings) = 'object')
);

-- One setting of `for_year` as the application resolves it (the nearest year
-- at or before it that has a row), or null: the caller supplies the default.
create function office_setting_value(for_year integer, name text) returns integer language sql stable as $$
    select (s.settings ->> name)::integer
    from office_setting s
    where s.year <= for_year
    order by s.year desc
    limit 1
$$;

-- An office that changed the one-row monitor_setting with SQL keeps its values,
-- from the year of its earliest cycle on; the shipped defaults need no row.
insert into office_setting (year, settings)
select coalesce((select min(extract(year from c.period_start))::integer from cycle c),
                extract(year from now() at time zone 'Asia/Shanghai')::integer),
       jsonb_build_object('report_due_workdays', m.report_due_workdays,
                          'slip_blue_workdays', m.slip_blue_workdays,
                          'slip_answer_workdays', m.slip_answer_workdays,
                          'max_upload_mib', greatest(1, m.max_upload_bytes / 1048576))
from monitor_setting m
where (m.report_due_workdays, m.slip_blue_workdays, m.slip_answer_workdays, m.max_upload_bytes)
      is distinct from (5, 3, 10, 20971520);

drop table monitor_setting;
