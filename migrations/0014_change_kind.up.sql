-- docs/DOMAIN.md §6.6: a change request rests on one of the statutory grounds;
-- "other" must be explained in words, the others may be.
create type change_kind as enum ('policy_change', 'reorganisation', 'force_majeure', 'other');
alter table target_change add column kind change_kind not null default 'other';
alter table target_change alter column kind drop default;
alter table target_change drop constraint target_change_reason_present;
alter table target_change add constraint target_change_reason_present
    check (kind <> 'other' or length(btrim(reason)) > 0);
