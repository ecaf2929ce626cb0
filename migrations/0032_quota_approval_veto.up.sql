-- What the assessment committee records before deciding an annual cycle
-- (docs/DOMAIN.md §17.8, §17.17): the approval that raises the 优秀 rate (to
-- 25 % by default), and hard vetoes (一票否决) that make a person 不称职
-- whatever the score. Nobody records either about themselves, nor
-- calibrates their own grade.
create table quota_approval (
    cycle_id    bigint primary key references cycle (id),
    -- The approving body's document (批准文号) or other reference.
    reference   text not null,
    recorded_by bigint not null references person (id),
    recorded_at timestamptz not null,
    constraint quota_approval_reference check (length(btrim(reference)) > 0)
);

create table hard_veto (
    cycle_id    bigint not null references cycle (id),
    person_id   bigint not null references person (id),
    reason      text not null,
    recorded_by bigint not null references person (id),
    recorded_at timestamptz not null,
    primary key (cycle_id, person_id),
    constraint hard_veto_reason check (length(btrim(reason)) > 0),
    constraint hard_veto_not_self check (recorded_by <> person_id)
);

alter table calibration add constraint calibration_not_self check (set_by <> person_id);
