drop function covered_by(bigint, date);
drop function covering_backup(bigint, date);

create function covering_backup(a_person bigint) returns bigint language sql stable as $$
    select p.b_holder_id
    from post p
    where p.active and p.a_holder_id = a_person and p.b_holder_id is not null
      and exists (select 1 from absence a where a.person_id = a_person and a.active
                  and (now() at time zone 'Asia/Shanghai')::date between a.from_date and a.to_date)
      and not exists (select 1 from absence a where a.person_id = p.b_holder_id and a.active
                      and (now() at time zone 'Asia/Shanghai')::date between a.from_date and a.to_date)
    order by p.sort_order, p.id
    limit 1
$$;

create function covered_by(b_person bigint) returns table (person_id bigint) language sql stable as $$
    select p.a_holder_id
    from post p
    where p.active and p.b_holder_id = b_person and covering_backup(p.a_holder_id) = b_person
$$;
