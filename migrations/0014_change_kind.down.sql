-- A reason left blank under a statutory ground takes the ground's name.
update target_change set reason = case kind
        when 'policy_change' then '政策调整'
        when 'reorganisation' then '机构职能调整'
        when 'force_majeure' then '不可抗力'
        else '其他' end
    where length(btrim(reason)) = 0;
alter table target_change drop constraint target_change_reason_present;
alter table target_change add constraint target_change_reason_present check (length(btrim(reason)) > 0);
alter table target_change drop column kind;
drop type change_kind;
