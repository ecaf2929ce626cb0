drop table publicity_objection;
drop table assessment_result;
drop table assessment_decision;
