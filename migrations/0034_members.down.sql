drop table member_import;
drop table member;
