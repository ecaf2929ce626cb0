-- Supervision items (督办) as offices run them (docs/DOMAIN.md §8): the leader's
-- instruction an item rests on (批示 with its 文号), and the periodic progress
-- reports (进展报告) the assignee side posts at the item's reporting frequency.

alter table supervision_item
    add column instruction_doc_no text not null default '',
    add column instructed_by      text not null default '',
    add column instructed_on      date,
    -- The office day the item was registered on, by the application's clock:
    -- its first reporting period starts here.
    add column registered_on      date;
update supervision_item set registered_on = (created_at at time zone 'Asia/Shanghai')::date;
alter table supervision_item
    alter column registered_on set default current_date,
    alter column registered_on set not null;

create table supervision_progress (
    id         bigint generated always as identity primary key,
    item_id    bigint not null references supervision_item (id) on delete cascade,
    author_id  bigint not null references person (id),
    -- The office day it was posted on, by the application's clock.
    posted_on  date not null,
    at         timestamptz not null default now(),
    body       text not null,
    percent    integer,
    constraint supervision_progress_body_present check (length(btrim(body)) > 0),
    constraint supervision_progress_percent_range check (percent between 0 and 100)
);
create index supervision_progress_item_idx on supervision_progress (item_id, posted_on);
