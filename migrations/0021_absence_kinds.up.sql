-- Two more kinds of absence (docs/DOMAIN.md §3.3): a temporary post elsewhere
-- (挂职) and training (培训), beside secondment (借调). On their own
-- migration: a new enum value is usable only once its transaction commits.
alter type absence_kind add value if not exists 'temporary_post';
alter type absence_kind add value if not exists 'training';
