-- Discipline inspection's records (机关纪委, docs/DOMAIN.md §11.3): disciplinary
-- actions (处分), accountability measures (问责) and investigations (立案审查),
-- each with the period it is in force. They gate assessment grades; only
-- discipline inspection (who keeps them) and the performance office read them.
-- A wrong record is withdrawn with a reason, never deleted.

create type discipline_measure as enum (
    -- 处分 (公务员法 art. 62), lightest first.
    'warning', 'demerit', 'major_demerit', 'demotion', 'removal', 'expulsion',
    -- 问责 measures on a person, lightest first.
    'criticism', 'admonition', 'organisational',
    -- 立案审查: in force from the opening until the outcome.
    'investigation'
);

create table discipline_record (
    id             bigint generated always as identity primary key,
    person_id      bigint not null references person (id),
    measure        discipline_measure not null,
    -- The decision's (or the opening's) date and its document number (文号).
    decided_on     date not null,
    reference      text not null default '',
    -- In force from `from_date`; `to_date` null while open-ended (an
    -- investigation without an outcome, an expulsion).
    from_date      date not null,
    to_date        date,
    note           text not null default '',
    recorded_by    bigint not null references person (id),
    recorded_at    timestamptz not null default now(),
    withdrawn      boolean not null default false,
    withdraw_reason text not null default '',
    version        integer not null default 1,
    constraint discipline_record_order check (to_date is null or from_date <= to_date),
    constraint discipline_record_withdraw_reason check (not withdrawn or length(btrim(withdraw_reason)) > 0)
);
create index discipline_record_person on discipline_record (person_id, from_date);
