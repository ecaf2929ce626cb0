alter table progress_report drop column audited_descriptor;
alter table progress_report drop column descriptor;
drop type progress_descriptor;
alter table target drop constraint target_qualitative_has_no_value;
alter table target drop column kind;
drop type target_kind;
