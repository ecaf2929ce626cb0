drop table result_use_proposal;
drop type result_use_status;
drop type result_use_kind;
drop table grade_history;
drop table grade_import;
alter table person drop column step_since;
