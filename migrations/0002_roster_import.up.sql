-- Roster imports: the parsed rows of an uploaded file, kept between preview and
-- commit so that any instance of the application can commit them.

create table roster_import (
    id           bigint generated always as identity primary key,
    uploaded_by  bigint not null references person (id),
    uploaded_at  timestamptz not null default now(),
    file_name    text not null,
    -- The rows as parsed and checked at upload: raw values, line number, errors.
    rows         jsonb not null,
    committed_at timestamptz,
    committed_by bigint references person (id),
    constraint roster_import_committed_together check ((committed_at is null) = (committed_by is null))
);
