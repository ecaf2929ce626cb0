-- docs/DOMAIN.md §6.2, §7.3: a qualitative target (定性) has no target value;
-- its reports choose a descriptor, whose completion is a fixed mapping (§6.7).
create type target_kind as enum ('quantitative', 'qualitative');
alter table target add column kind target_kind not null default 'quantitative';
alter table target add constraint target_qualitative_has_no_value
    check (kind = 'quantitative' or target_value is null);

create type progress_descriptor as enum ('completed', 'basically_completed', 'not_completed');
-- The descriptor the sender chose, and the one the verifier confirmed.
alter table progress_report add column descriptor progress_descriptor;
alter table progress_report add column audited_descriptor progress_descriptor;
