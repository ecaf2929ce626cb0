-- CPPCC members (政协委员, docs/DOMAIN.md §18.1): the people the office
-- serves. Members have no account; they appear as invitees and attendees of
-- the office's events and answer satisfaction surveys through one-time links.

create table member (
    id                    bigint generated always as identity primary key,
    full_name             text not null,
    -- 界别, e.g. 中国共产党, 经济界, 教育界.
    sector                text not null,
    -- 专门委员会; empty when the member sits on none.
    special_committee     text not null default '',
    -- The office department that keeps in touch with the member.
    contact_department_id bigint references department (id),
    -- 届次, e.g. 第十五届.
    term                  text not null,
    -- For survey links sent by SMS; empty when unknown.
    mobile                text not null default '',
    active                boolean not null default true,
    version               integer not null default 1,
    created_at            timestamptz not null default now(),
    constraint member_full_name_present check (length(btrim(full_name)) > 0),
    constraint member_sector_present check (length(btrim(sector)) > 0),
    constraint member_term_present check (length(btrim(term)) > 0),
    constraint member_mobile_format check (mobile = '' or mobile ~ '^[0-9+][0-9 -]{5,19}$')
);
create index member_contact_department on member (contact_department_id);
create index member_sector on member (sector);

-- Member imports: the parsed rows of an uploaded file, kept between preview
-- and commit so that any instance of the application can commit them.
create table member_import (
    id           bigint generated always as identity primary key,
    uploaded_by  bigint not null references person (id),
    uploaded_at  timestamptz not null default now(),
    file_name    text not null,
    rows         jsonb not null,
    committed_at timestamptz,
    committed_by bigint references person (id),
    constraint member_import_committed_together check ((committed_at is null) = (committed_by is null))
);
