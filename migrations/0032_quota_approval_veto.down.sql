alter table calibration drop constraint calibration_not_self;
drop table hard_veto;
drop table quota_approval;
