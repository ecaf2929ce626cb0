drop table ballot_correction;
alter table ballot drop constraint ballot_paper_democratic;
