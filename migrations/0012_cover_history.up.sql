-- Who was responsible on a given day, not only today: a late report is
-- charged to whoever covered the target on its deadline day (§3.4, §7.2).
-- Absences are never deleted (a wrong one is withdrawn), so they tell who was
-- away on any day; the post holders are kept here, dated, because posts change.

-- The holders of a post from `from_day` on (until the next row of the post).
-- The application writes a row, dated by its clock, with every change of a
-- post; a post without any row (created before this migration and never
-- changed since, or written by a loader) stands as it is now.
create table post_holding (
    post_id bigint not null references post (id) on delete cascade,
    from_day date not null,
    a_holder_id bigint references person (id),
    b_holder_id bigint references person (id),
    active boolean not null,
    primary key (post_id, from_day)
);
create index post_holding_a_holder on post_holding (a_holder_id);

-- What the posts were before any recorded change.
insert into post_holding (post_id, from_day, a_holder_id, b_holder_id, active)
select id, '-infinity', a_holder_id, b_holder_id, active from post;

create index target_backup on target (backup_id) where backup_id is not null;

-- The active posts as they stood on `on_day`.
create function post_on(on_day date)
returns table (post_id bigint, a_holder_id bigint, b_holder_id bigint, sort_order integer)
language sql stable as $$
    select p.id, h.a_holder_id, h.b_holder_id, p.sort_order
    from post p
    join lateral (select x.a_holder_id, x.b_holder_id, x.active from post_holding x
                  where x.post_id = p.id and x.from_day <= on_day
                  order by x.from_day desc limit 1) h on true
    where h.active
    union all
    select p.id, p.a_holder_id, p.b_holder_id, p.sort_order
    from post p
    where p.active and not exists (select 1 from post_holding x where x.post_id = p.id)
$$;

-- Whether a person was away (an active absence) on `on_day`.
create function away_on(a_person bigint, on_day date) returns boolean language sql stable as $$
    select exists (select 1 from absence a where a.person_id = a_person and a.active
                   and on_day between a.from_date and a.to_date)
$$;

-- The B of a person's posts who covered for them on `on_day`, by the posts as
-- they stood that day: covering_backup for any day, past ones included.
create function post_backup_on(a_person bigint, on_day date) returns bigint language sql stable as $$
    select p.b_holder_id
    from post_on(on_day) p
    where p.a_holder_id = a_person and p.b_holder_id is not null
      and away_on(a_person, on_day) and not away_on(p.b_holder_id, on_day)
    order by p.sort_order, p.post_id
    limit 1
$$;

-- Who covered a target on `on_day`: nobody while its owner was there; else
-- the B the target names, when that person is active and was there; else the
-- B of the owner's posts (post_backup_on). Null: the owner was responsible.
create function target_backup_on(a_target bigint, on_day date) returns bigint language sql stable as $$
    select case
        when t.owner_id is null or not away_on(t.owner_id, on_day) then null
        when t.backup_id is not null and t.backup_id <> t.owner_id and not away_on(t.backup_id, on_day)
             and exists (select 1 from person b where b.id = t.backup_id and b.active) then t.backup_id
        else post_backup_on(t.owner_id, on_day)
    end
    from target t where t.id = a_target
$$;
