drop table discipline_record;
drop type discipline_measure;
