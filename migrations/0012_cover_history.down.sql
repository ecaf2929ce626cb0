drop function target_backup_on(bigint, date);
drop function post_backup_on(bigint, date);
drop function away_on(bigint, date);
drop function post_on(date);
drop index target_backup;
drop table post_holding;
