-- Paper ballots and corrections of ballots (docs/DOMAIN.md §17.12). A paper
-- ballot is entered by the performance office from a democratic evaluation
-- meeting: it is a democratic ballot like any other (no rater, no time, a
-- random id), marked `paper`. A correction keeps the levels before and after
-- and names the corrector and the reason, never the rater.

alter table ballot add constraint ballot_paper_democratic check (not paper or rater_kind = 'democratic');

create table ballot_correction (
    id           bigint generated always as identity primary key,
    ballot_id    uuid not null references ballot (id) on delete cascade,
    corrected_by bigint not null references person (id),
    reason       text not null,
    before       jsonb not null,
    after        jsonb not null,
    corrected_at timestamptz not null,
    constraint ballot_correction_reason check (length(btrim(reason)) > 0),
    constraint ballot_correction_changes check (before <> after)
);
create index ballot_correction_ballot on ballot_correction (ballot_id);
