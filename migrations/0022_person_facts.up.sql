-- What assessment needs to know of a person (docs/DOMAIN.md §2.6) and of a
-- leave (§3.3).

-- Rank as a structured value beside the free-text title: the track (领导职务
-- or 职级) and the tier quotas are allocated by (厅局级, 县处级, 乡科级, and
-- 科员及以下 "一般干部"), with the dates of the current rank and level.
create type rank_track as enum ('leading_post', 'rank_level');
create type rank_tier as enum ('bureau', 'division', 'section', 'clerk');
alter table person
    add column rank_track     rank_track,
    add column rank_tier      rank_tier,
    add column rank_since     date,
    add column level_since    date,
    -- Probation (试用期) of a newly recruited person: both days or neither.
    add column probation_from date,
    add column probation_to   date,
    add constraint person_probation_both check ((probation_from is null) = (probation_to is null)),
    add constraint person_probation_order check (probation_from is null or probation_from <= probation_to);

-- The kind of a leave (请假), which decides what it counts for at assessment.
create type leave_kind as enum ('annual', 'sick', 'personal', 'marriage_funeral', 'maternity', 'home_visit');
alter table absence add column leave_kind leave_kind;
-- Leaves entered before the kinds existed count as annual leave, which no rule penalises.
update absence set leave_kind = 'annual' where kind = 'leave';
alter table absence add constraint absence_leave_kind check ((kind = 'leave') = (leave_kind is not null));
