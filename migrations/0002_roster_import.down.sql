drop table roster_import;
