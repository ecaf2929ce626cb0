-- A/B cover (AB角工作制) on a given day. The day comes from the application's
-- clock rather than the server's now(), so every date the application works
-- with follows one clock (tests and demonstrations pin it).
drop function covered_by(bigint);
drop function covering_backup(bigint);

-- The B holder who covers for a person on `on_day`: the B of an active post
-- the person holds as A, while the person is away and the B is not.
create function covering_backup(a_person bigint, on_day date) returns bigint language sql stable as $$
    select p.b_holder_id
    from post p
    where p.active and p.a_holder_id = a_person and p.b_holder_id is not null
      and exists (select 1 from absence a where a.person_id = a_person and a.active
                  and on_day between a.from_date and a.to_date)
      and not exists (select 1 from absence a where a.person_id = p.b_holder_id and a.active
                      and on_day between a.from_date and a.to_date)
    order by p.sort_order, p.id
    limit 1
$$;

-- The people a person covers for on `on_day`: the inverse of covering_backup,
-- so a query can start from the B's posts instead of calling covering_backup
-- on every row it looks at. Inlined by the planner.
create function covered_by(b_person bigint, on_day date) returns table (person_id bigint) language sql stable as $$
    select p.a_holder_id
    from post p
    where p.active and p.b_holder_id = b_person and covering_backup(p.a_holder_id, on_day) = b_person
$$;
