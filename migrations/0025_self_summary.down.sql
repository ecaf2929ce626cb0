drop table self_summary;
drop type summary_status;
drop type summary_kind;
