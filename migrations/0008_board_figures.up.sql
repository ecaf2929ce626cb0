-- The office board's figures, worked out from every target of the office, kept
-- until the next audited write (every write leaves an audit row, so the
-- newest audit id is the data's version) and five minutes at most. A cache:
-- unlogged, and any instance may fill it.
create unlogged table board_figures (
    key         text primary key,
    version     bigint not null,
    computed_at timestamptz not null default now(),
    figures     jsonb not null
);
