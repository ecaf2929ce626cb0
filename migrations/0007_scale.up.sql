-- Queries whose cost must not grow with years of history.

-- Filling target_progress reads every report once: no statement timeout here.
set local statement_timeout = 0;

-- The people a person covers for today: the inverse of covering_backup, so a
-- query can ask "whose work does $1 do" with the post index instead of
-- calling covering_backup on every row it looks at. Inlined by the planner.
create function covered_by(b_person bigint) returns table (person_id bigint) language sql stable as $$
    select p.a_holder_id
    from post p
    where p.active and p.b_holder_id = b_person and covering_backup(p.a_holder_id) = b_person
$$;

-- Open supervision items by assignee (the to-do counts and lists skip closed ones).
create index supervision_item_open_assignee_idx on supervision_item (assignee_id) where status <> 'closed';

-- Reports waiting for a verifier.
create index progress_report_submitted_idx on progress_report (target_id) where status = 'submitted';

-- Target sets by department within a cycle (boards, queues, to-dos of heads).
create index target_set_cycle_department_idx on target_set (cycle_id, department_id, status);

-- Each target's reporting at a glance, kept by triggers on progress_report:
-- the latest report, the audited value of the latest verified one, and the
-- day each period was first reported. The boards read one row per target
-- instead of searching the target's reports three times.
create table target_progress (
    target_id       bigint primary key references target (id),
    latest_start    date,
    latest_end      date,
    latest_reported numeric(14, 2),
    latest_audited  numeric(14, 2),
    latest_status   report_status,
    latest_state    progress_state,
    verified_value  numeric(14, 2),
    -- Each reported period's start with the day (Asia/Shanghai) its first report was sent.
    sent_starts     date[] not null default '{}',
    sent_days       date[] not null default '{}'
);

create function target_progress_refresh(targets bigint[]) returns void language sql as $$
    insert into target_progress (target_id, latest_start, latest_end, latest_reported, latest_audited,
                                 latest_status, latest_state, verified_value, sent_starts, sent_days)
    select t.id, latest.period_start, latest.period_end, latest.reported_value, latest.audited_value,
           latest.status, latest.state, verified.audited_value,
           coalesce(sent.starts, '{}'), coalesce(sent.days, '{}')
    from unnest(targets) as t (id)
    left join lateral (
        select r.period_start, r.period_end, r.reported_value, r.audited_value, r.status, r.state
        from progress_report r where r.target_id = t.id
        order by r.period_start desc, r.id desc limit 1) latest on true
    left join lateral (
        select r.audited_value from progress_report r where r.target_id = t.id and r.status = 'verified'
        order by r.period_start desc, r.id desc limit 1) verified on true
    left join lateral (
        select array_agg(f.period_start order by f.period_start) as starts,
               array_agg(f.first_day order by f.period_start) as days
        from (select r.period_start, min((r.submitted_at at time zone 'Asia/Shanghai')::date) as first_day
              from progress_report r where r.target_id = t.id group by r.period_start) f) sent on true
    on conflict (target_id) do update set
        latest_start = excluded.latest_start, latest_end = excluded.latest_end,
        latest_reported = excluded.latest_reported, latest_audited = excluded.latest_audited,
        latest_status = excluded.latest_status, latest_state = excluded.latest_state,
        verified_value = excluded.verified_value, sent_starts = excluded.sent_starts, sent_days = excluded.sent_days
$$;

-- Statement triggers with transition tables: a bulk insert refreshes each
-- target once.
create function target_progress_after_insert() returns trigger language plpgsql as $$
begin
    perform target_progress_refresh(array(select distinct target_id from changed));
    return null;
end;
$$;
create function target_progress_after_update() returns trigger language plpgsql as $$
begin
    perform target_progress_refresh(array(select distinct target_id from changed
                                          union select distinct target_id from previous));
    return null;
end;
$$;
create function target_progress_after_delete() returns trigger language plpgsql as $$
begin
    perform target_progress_refresh(array(select distinct target_id from previous));
    return null;
end;
$$;
create trigger target_progress_insert after insert on progress_report
    referencing new table as changed for each statement execute function target_progress_after_insert();
create trigger target_progress_update after update on progress_report
    referencing old table as previous new table as changed
    for each statement execute function target_progress_after_update();
create trigger target_progress_delete after delete on progress_report
    referencing old table as previous for each statement execute function target_progress_after_delete();

select target_progress_refresh(array(select distinct target_id from progress_report));
