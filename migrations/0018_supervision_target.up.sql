-- The target a supervision item serves (docs/DOMAIN.md §8.2): optional, one of
-- its department's approved targets of an open cycle when the item is opened.
alter table supervision_item add column target_id bigint references target (id);
