drop table calibration;
