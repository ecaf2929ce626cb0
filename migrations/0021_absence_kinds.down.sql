-- PostgreSQL cannot drop an enum value: the type is rebuilt without them.
delete from absence where kind in ('temporary_post', 'training');
alter type absence_kind rename to absence_kind_old;
create type absence_kind as enum ('leave', 'travel', 'secondment', 'other');
alter table absence alter column kind type absence_kind using kind::text::absence_kind;
drop type absence_kind_old;
