-- A cycle's participants are frozen when it leaves planning, so a closed
-- cycle keeps the people who really took part: someone created later does
-- not join it, someone deactivated later does not leave it. After the freeze
-- the performance office adds or removes people one at a time (audited).

-- The live rule: every active staff member, or those of the chosen
-- departments plus the chosen people.
create view cycle_rule_participant as
select c.id as cycle_id, p.id as person_id, p.department_id
from cycle c
join person p on p.active
where exists (select 1 from role_grant g where g.person_id = p.id and g.role = 'staff')
  and (c.all_participants
       or exists (select 1 from cycle_department cd where cd.cycle_id = c.id and cd.department_id = p.department_id)
       or exists (select 1 from cycle_person cp where cp.cycle_id = c.id and cp.person_id = p.id));

-- Whether the cycle's participants are the frozen list (set when it leaves
-- planning, cleared when it goes back to planning).
alter table cycle add column participants_frozen boolean not null default false;

-- The frozen list, with the department each person took part for.
create table cycle_member (
    cycle_id bigint not null references cycle (id) on delete cascade,
    person_id bigint not null references person (id),
    department_id bigint references department (id),
    primary key (cycle_id, person_id)
);
create index cycle_member_person on cycle_member (person_id);

-- Cycles already past planning keep the people who take part today.
insert into cycle_member (cycle_id, person_id, department_id)
select r.cycle_id, r.person_id, r.department_id
from cycle_rule_participant r join cycle c on c.id = r.cycle_id
where c.stage <> 'planning';
update cycle set participants_frozen = true where stage <> 'planning';

-- The frozen list once a cycle has left planning, the live rule before.
create or replace view cycle_participant as
select r.cycle_id, r.person_id, r.department_id
from cycle_rule_participant r join cycle c on c.id = r.cycle_id
where not c.participants_frozen
union all
select m.cycle_id, m.person_id, m.department_id
from cycle_member m join cycle c on c.id = m.cycle_id
where c.participants_frozen;
