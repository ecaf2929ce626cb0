-- Whom a slip is charged to (docs/DOMAIN.md §8.4, §3.4): a slip for a missed
-- due date belongs to whoever was responsible on that day, the B who covered
-- an absent assignee included; other slips to whoever acts on the day of
-- issue. Null: the item has no assignee (its department answers).
alter table supervision_slip add column charged_to bigint references person (id);
