delete from attachment where owner_type = 'event';
alter table attachment drop constraint attachment_owner_type_check;
alter table attachment add constraint attachment_owner_type_check
    check (owner_type in ('progress_report', 'ledger_record'));
drop table event_follow_up;
drop table event_member;
drop table event_task;
drop trigger event_co_department_not_owner on event_co_department;
drop function event_co_department_not_owner();
drop table event_co_department;
drop table event;
drop type event_status;
drop type event_kind;
