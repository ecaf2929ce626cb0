-- Extension requests (延期申请) on supervision items (docs/DOMAIN.md §8.7): the
-- assignee side asks for a later due date with a reason; the supervisor side
-- decides, never the requester (four eyes). An approved extension moves the
-- item's due date and is kept in its events with the old and new date.

create table supervision_extension (
    id            bigint generated always as identity primary key,
    item_id       bigint not null references supervision_item (id) on delete cascade,
    requested_by  bigint not null references person (id),
    requested_at  timestamptz not null default now(),
    current_due   date not null,
    requested_due date not null,
    reason        text not null,
    status        text not null default 'pending',
    decided_by    bigint references person (id),
    decided_at    timestamptz,
    decision_note text not null default '',
    constraint supervision_extension_status check (status in ('pending', 'approved', 'rejected')),
    constraint supervision_extension_reason_present check (length(btrim(reason)) > 0),
    constraint supervision_extension_later check (requested_due > current_due),
    constraint supervision_extension_four_eyes check (decided_by is distinct from requested_by)
);
-- At most one request of an item waits for a decision.
create unique index supervision_extension_one_pending on supervision_extension (item_id) where status = 'pending';

alter table supervision_event
    add column due_from date,
    add column due_to   date;
