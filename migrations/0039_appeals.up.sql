-- Reviews (复核) and appeals (申诉) of a final annual result (docs/DOMAIN.md
-- §19.4): filed by the person about their own result within the statutory
-- windows, answered by the assessment committee by a deadline (an appeal's
-- extended once, with a reason); a decision upholds the result or corrects
-- it (a new result version). One table for both kinds.

create type appeal_kind as enum ('review', 'appeal');
create type appeal_outcome as enum ('upheld', 'corrected');

create table result_appeal (
    id               bigint generated always as identity primary key,
    kind             appeal_kind not null,
    cycle_id         bigint not null,
    person_id        bigint not null references person (id),
    -- The review an appeal follows; null for a review or a direct appeal.
    review_id        bigint references result_appeal (id),
    -- The grade in force when it was filed (a `DecidedGrade`).
    grade_before     jsonb not null,
    reasons          text not null,
    filed_at         timestamptz not null,
    filed_on         date not null,
    -- The day its window counted from (learnt, or the review decided) and its last day.
    window_from      date not null,
    window_until     date not null,
    answer_due       date not null,
    extension_days   integer,
    extended_due     date,
    extension_reason text not null default '',
    extended_by      bigint references person (id),
    extended_at      timestamptz,
    outcome          appeal_outcome,
    -- The corrected grade (a `DecidedGrade`) and the result version it created.
    grade_after      jsonb,
    result_version   integer,
    decision_reason  text not null default '',
    decided_by       bigint references person (id),
    decided_at       timestamptz,
    decided_on       date,
    version          integer not null default 1,
    foreign key (cycle_id, person_id) references assessment_result (cycle_id, person_id),
    constraint result_appeal_reasons check (length(btrim(reasons)) > 0),
    constraint result_appeal_window check (window_from <= filed_on and filed_on <= window_until),
    constraint result_appeal_due check (filed_on < answer_due),
    constraint result_appeal_review_of_appeal check (review_id is null or kind = 'appeal'),
    constraint result_appeal_decided_together check (
        (outcome is null) = (decided_by is null)
        and (outcome is null) = (decided_at is null)
        and (outcome is null) = (decided_on is null)),
    constraint result_appeal_decision_reason check (outcome is null or length(btrim(decision_reason)) > 0),
    constraint result_appeal_correction check ((outcome is not distinct from 'corrected') = (grade_after is not null)),
    constraint result_appeal_extension check (
        (extended_due is null) = (extended_by is null)
        and (extended_due is null) = (extended_at is null)
        and (extended_due is null) = (extension_days is null)),
    constraint result_appeal_extension_of_appeal check (extended_due is null or kind = 'appeal'),
    constraint result_appeal_extension_reason check (extended_due is null or length(btrim(extension_reason)) > 0),
    constraint result_appeal_extension_later check (extended_due is null or extended_due > answer_due),
    -- Four eyes: the person never decides or extends their own request.
    constraint result_appeal_four_eyes check (decided_by is distinct from person_id),
    constraint result_appeal_extension_four_eyes check (extended_by is distinct from person_id)
);
-- One open request per result at a time; one review and one appeal per result.
create unique index result_appeal_one_open on result_appeal (cycle_id, person_id) where outcome is null;
create unique index result_appeal_one_per_kind on result_appeal (cycle_id, person_id, kind);
create index result_appeal_open_due on result_appeal (answer_due) where outcome is null;
create index result_appeal_person on result_appeal (person_id);

-- Reasons may carry attachments owned by 'result_appeal'.
alter table attachment drop constraint attachment_owner_type_check;
alter table attachment add constraint attachment_owner_type_check
    check (owner_type in ('progress_report', 'ledger_record', 'event', 'result_appeal'));
