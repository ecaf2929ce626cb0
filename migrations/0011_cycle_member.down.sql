create or replace view cycle_participant as
select c.id as cycle_id, p.id as person_id, p.department_id
from cycle c
join person p on p.active
where exists (select 1 from role_grant g where g.person_id = p.id and g.role = 'staff')
  and (c.all_participants
       or exists (select 1 from cycle_department cd where cd.cycle_id = c.id and cd.department_id = p.department_id)
       or exists (select 1 from cycle_person cp where cp.cycle_id = c.id and cp.person_id = p.id));

drop table cycle_member;
alter table cycle drop column participants_frozen;
drop view cycle_rule_participant;
