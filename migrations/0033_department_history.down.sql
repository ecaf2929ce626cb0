drop function department_on(bigint, date);
drop table department_history;
