drop table supervision_co_department;
drop function supervision_co_department_not_lead();
