-- Co-operating departments (协办) of a supervision item (docs/DOMAIN.md §8.2):
-- the item's own department leads (牵头) and alone carries it out; these
-- departments help, and their heads read the item.
create table supervision_co_department (
    item_id bigint not null references supervision_item (id) on delete cascade,
    department_id bigint not null references department (id),
    primary key (item_id, department_id)
);
create index supervision_co_department_department on supervision_co_department (department_id);

-- The lead department is never also a co-operating one.
create function supervision_co_department_not_lead() returns trigger language plpgsql as $$
begin
    if exists (select 1 from supervision_item i where i.id = new.item_id and i.department_id = new.department_id) then
        raise exception 'the lead department of supervision item % cannot also co-operate', new.item_id
            using errcode = 'check_violation', constraint = 'supervision_co_department_not_lead';
    end if;
    return new;
end
$$;
create trigger supervision_co_department_not_lead before insert or update on supervision_co_department
    for each row execute function supervision_co_department_not_lead();
