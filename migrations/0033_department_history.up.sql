-- Which department a person was in on any day, not only today: a person
-- transferred during a period is assessed by the department they are in at
-- its end, and the former department's opinion is sought when it held them
-- for more than half the period (docs/DOMAIN.md §2.7).

-- A person's department from `from_day` on (until the person's next row);
-- null: no department. The application writes a row, dated by its clock,
-- whenever a person's department changes; a person without any row (created
-- by a loader and never changed since) stands as they are now.
create table department_history (
    person_id bigint not null references person (id) on delete cascade,
    from_day date not null,
    department_id bigint references department (id),
    primary key (person_id, from_day)
);

-- What the departments were before any recorded change.
insert into department_history (person_id, from_day, department_id)
select id, '-infinity', department_id from person;

-- A person's department on `on_day`: null before their first row (not yet
-- with the office) or when they had none.
create function department_on(a_person bigint, on_day date) returns bigint language sql stable as $$
    select case
        when exists (select 1 from department_history h where h.person_id = a_person)
            then (select h.department_id from department_history h
                  where h.person_id = a_person and h.from_day <= on_day
                  order by h.from_day desc limit 1)
        else (select p.department_id from person p where p.id = a_person)
    end
$$;
