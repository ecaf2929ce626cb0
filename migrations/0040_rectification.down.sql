delete from attachment where owner_type = 'rectification_step';
do $$
declare definition text;
begin
    select pg_get_constraintdef(oid) into definition from pg_constraint
    where conrelid = 'attachment'::regclass and conname = 'attachment_owner_type_check';
    alter table attachment drop constraint attachment_owner_type_check;
    execute 'alter table attachment add constraint attachment_owner_type_check '
        || replace(definition, '''rectification_step''::text, ', '');
end
$$;
drop trigger rectification_step_four_eyes on rectification_step;
drop function rectification_step_four_eyes();
drop table rectification_step;
drop table rectification_item;
drop type rectification_step_kind;
drop type rectification_status;
drop type rectification_source;
