-- Members' satisfaction surveys (委员满意度测评, docs/DOMAIN.md §18.3). The
-- performance office creates a survey with its items (one per department
-- assessed, or one event counted for its owner department) and one link per
-- member chosen. A link is an unguessable token, valid once until its expiry
-- day. Answers and comments are anonymous: they carry no link, no member, no
-- time and a random id, and a used link keeps only the day it was used, so
-- nothing in the database ties an answer to the member who gave it.

create type satisfaction_answer as enum ('satisfied', 'basically_satisfied', 'dissatisfied', 'not_known');
create type survey_kind as enum ('year_end', 'event');
create type survey_status as enum ('open', 'closed');

create table survey (
    id          bigint generated always as identity primary key,
    title       text not null,
    -- The assessment year the answers count for (the department scorecard's year).
    year        integer not null,
    kind        survey_kind not null,
    -- The last day a link can be used (office time).
    expires_on  date not null,
    status      survey_status not null default 'open',
    created_by  bigint not null references person (id),
    created_at  timestamptz not null default now(),
    version     integer not null default 1,
    constraint survey_title_present check (length(btrim(title)) > 0),
    constraint survey_year_range check (year between 2000 and 2100)
);
create index survey_year on survey (year);

-- What members answer about: a department (year-end surveys), or an event of
-- the work systems counted for its owner department (fixed when the survey
-- is created).
create table survey_item (
    id            bigint generated always as identity primary key,
    survey_id     bigint not null references survey (id) on delete cascade,
    position      integer not null,
    department_id bigint not null references department (id),
    event_id      bigint references event (id),
    unique (survey_id, position)
);
create index survey_item_department on survey_item (department_id);

-- One link per member of a survey. `used_on` is a day, never a time.
create table survey_link (
    id         bigint generated always as identity primary key,
    survey_id  bigint not null references survey (id) on delete cascade,
    member_id  bigint not null references member (id),
    -- 32 random bytes, URL-safe base64: 256 bits.
    token      text not null unique,
    expires_on date not null,
    used_on    date,
    unique (survey_id, member_id),
    constraint survey_link_token_length check (length(token) >= 43)
);

-- One answer about one item: no link, member or time; a random key, so that
-- neither the key nor the insert order says who answered or when.
create table survey_answer (
    id             uuid primary key default gen_random_uuid(),
    survey_item_id bigint not null references survey_item (id) on delete cascade,
    answer         satisfaction_answer not null
);
create index survey_answer_item on survey_answer (survey_item_id);

-- An optional comment of one answer sheet, as anonymous as the answers.
create table survey_comment (
    id        uuid primary key default gen_random_uuid(),
    survey_id bigint not null references survey (id) on delete cascade,
    body      text not null,
    constraint survey_comment_present check (length(btrim(body)) > 0 and length(body) <= 1000)
);
create index survey_comment_survey on survey_comment (survey_id);

-- Requests to the public answer page per client address in the current
-- window (the settings survey_rate_limit and survey_rate_window_minutes).
create table survey_throttle (
    client       text primary key,
    window_start timestamptz not null,
    hits         integer not null
);
