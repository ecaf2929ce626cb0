delete from attachment where owner_type = 'result_appeal';
alter table attachment drop constraint attachment_owner_type_check;
alter table attachment add constraint attachment_owner_type_check
    check (owner_type in ('progress_report', 'ledger_record', 'event'));
drop table result_appeal;
drop type appeal_outcome;
drop type appeal_kind;
