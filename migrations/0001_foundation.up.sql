-- Foundation: organisation, people, roles, sign-in throttling and the audit log.

create type identity_type as enum ('civil_servant', 'managed_civil_servant', 'institution', 'service_worker');
create type department_kind as enum ('general', 'committee_office', 'party_personnel', 'support');
create type role_kind as enum (
    'staff', 'department_head', 'supervising_leader', 'assessment_committee',
    'discipline_inspection', 'supervision_officer', 'performance_office',
    'system_admin', 'auditor'
);

create table department (
    id          bigint generated always as identity primary key,
    name        text not null,
    kind        department_kind not null,
    sort_order  integer not null default 0,
    active      boolean not null default true,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    constraint department_name_unique unique (name),
    constraint department_name_present check (length(btrim(name)) > 0)
);

create table person (
    id                   bigint generated always as identity primary key,
    username             text not null,
    full_name            text not null,
    password_hash        text not null,
    identity_type        identity_type not null,
    rank                 text not null default '',
    department_id        bigint references department (id),
    phone                text not null default '',
    active               boolean not null default true,
    locale               text check (locale in ('zh-CN', 'en')),
    must_change_password boolean not null default false,
    -- Null until the person sets a password of their own.
    password_changed_at  timestamptz,
    -- Bumped to end every session of the person at once (password change, deactivation).
    session_epoch        integer not null default 1,
    version              integer not null default 1,
    created_at           timestamptz not null default now(),
    constraint person_username_unique unique (username),
    constraint person_username_format check (username ~ '^[a-z0-9][a-z0-9._-]{1,31}$'),
    constraint person_full_name_present check (length(btrim(full_name)) > 0)
);
create index person_department_idx on person (department_id);

create table role_grant (
    person_id     bigint not null references person (id),
    role          role_kind not null,
    -- Set for department-scoped roles (department head, supervising leader).
    department_id bigint references department (id),
    granted_at    timestamptz not null default now(),
    constraint role_grant_unique unique nulls not distinct (person_id, role, department_id),
    constraint role_grant_scope check (
        (role in ('department_head', 'supervising_leader')) = (department_id is not null)
    )
);

create table post (
    id            bigint generated always as identity primary key,
    department_id bigint not null references department (id),
    title         text not null,
    duties        text[] not null default '{}',
    a_holder_id   bigint references person (id),
    b_holder_id   bigint references person (id),
    sort_order    integer not null default 0,
    active        boolean not null default true,
    version       integer not null default 1,
    constraint post_title_present check (length(btrim(title)) > 0),
    constraint post_title_unique unique (department_id, title)
);
create index post_a_holder_idx on post (a_holder_id);
create index post_b_holder_idx on post (b_holder_id);

-- Failed sign-ins per key ('user:<name>' or 'ip:<address>').
create table login_throttle (
    key          text primary key,
    failures     integer not null,
    window_start timestamptz not null,
    held_until   timestamptz
);

create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default now(),
    actor_id    bigint references person (id),
    actor_name  text not null default '',
    ip          text not null default '',
    request_id  text not null default '',
    action      text not null,
    object_type text not null default '',
    object_id   text not null default '',
    summary     jsonb not null default '{}'
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_actor_idx on audit_log (actor_id, at desc);
create index audit_log_object_idx on audit_log (object_type, object_id);

-- The audit log is append-only for everybody but a superuser who drops this trigger.
create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate
    before truncate on audit_log
    for each statement execute function audit_log_refuse_change();
revoke update, delete, truncate on audit_log from public;
