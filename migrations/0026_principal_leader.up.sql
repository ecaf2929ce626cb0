-- The office's principal leader (主要领导, e.g. 秘书长), who rates the
-- department heads (docs/DOMAIN.md §2.1). On its own migration: a new enum
-- value is usable only once its transaction commits.
alter type role_kind add value if not exists 'principal_leader' after 'supervising_leader';
