alter table absence drop constraint absence_leave_kind, drop column leave_kind;
drop type leave_kind;
alter table person
    drop constraint person_probation_order,
    drop constraint person_probation_both,
    drop column probation_to,
    drop column probation_from,
    drop column level_since,
    drop column rank_since,
    drop column rank_tier,
    drop column rank_track;
drop type rank_tier;
drop type rank_track;
