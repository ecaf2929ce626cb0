drop table feedback_interview;
drop table result_notice;
drop trigger assessment_result_first_version on assessment_result;
drop function assessment_result_first_version();
drop table assessment_result_version;
alter table assessment_result drop column version;
