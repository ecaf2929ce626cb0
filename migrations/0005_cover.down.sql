drop function covering_backup(bigint);
