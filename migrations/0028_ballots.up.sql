-- Rater tasks and ballots (docs/DOMAIN.md §17.12). A task says who rates whom
-- in which rater group of a cycle, and whether it is done; a ballot holds the
-- levels given. Democratic (民主测评) ballots are anonymous: they carry no
-- rater, no time and a random id, and the task records only that it is done,
-- so nothing ties a ballot to its rater.

create table rating_task (
    cycle_id   bigint not null references cycle (id) on delete cascade,
    rater_id   bigint not null references person (id),
    ratee_id   bigint not null references person (id),
    rater_kind text not null,
    -- Rated as a department head (述职), under the heads' scheme.
    ratee_is_head boolean not null default false,
    done       boolean not null default false,
    primary key (cycle_id, rater_id, ratee_id, rater_kind),
    constraint rating_task_kind check (rater_kind in ('head', 'democratic', 'supervising_leader', 'principal_leader')),
    constraint rating_task_not_self check (rater_id <> ratee_id)
);
create index rating_task_ratee on rating_task (cycle_id, ratee_id);

create table ballot (
    id         uuid primary key default gen_random_uuid(),
    cycle_id   bigint not null references cycle (id) on delete cascade,
    ratee_id   bigint not null references person (id),
    rater_kind text not null,
    -- Named groups only (head, leaders); null on every democratic ballot.
    rater_id   bigint references person (id),
    -- Criterion key → level, as the scheme's ballot criteria.
    levels     jsonb not null,
    -- Entered by the performance office from a paper ballot (a count of one).
    paper      boolean not null default false,
    constraint ballot_kind check (rater_kind in ('head', 'democratic', 'supervising_leader', 'principal_leader')),
    constraint ballot_anonymous check ((rater_kind = 'democratic') = (rater_id is null)),
    constraint ballot_levels_object check (jsonb_typeof(levels) = 'object')
);
create index ballot_ratee on ballot (cycle_id, ratee_id);
-- A named rater casts one ballot per person and group.
create unique index ballot_named_once on ballot (cycle_id, ratee_id, rater_kind, rater_id) where rater_id is not null;
