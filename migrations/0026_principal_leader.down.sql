-- PostgreSQL cannot drop an enum value, and rebuilding `role_kind` would mean
-- rebuilding every view over role grants: the value stays, unused.
delete from role_grant where role = 'principal_leader';
