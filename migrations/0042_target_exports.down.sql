drop table target_import;
drop table export_job;
drop type export_job_state;
drop index target_set_person_idx;
drop index supervision_item_target_idx;
drop view target_export;
