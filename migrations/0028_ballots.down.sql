drop table ballot;
drop table rating_task;
