-- Filo: the walking skeleton's schema. Offices, staff and their sessions,
-- the category taxonomy, queues, contacts, cases with their timeline, and the
-- transactional outbox that carries side effects to the workers.
-- Forward-only: later changes go in new files, this one is frozen once released.

create extension if not exists unaccent;
create extension if not exists pg_trgm;

create table offices (
  id          bigint generated always as identity primary key,
  code        text not null unique check (code ~ '^[a-z0-9_-]{2,40}$'),
  name        text not null check (length(name) between 1 and 200),
  email       text,
  phone       text,
  active      boolean not null default true,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

create table staff_users (
  id             bigint generated always as identity primary key,
  email          text not null check (email = lower(email) and length(email) between 3 and 254),
  full_name      text not null check (length(full_name) between 1 and 200),
  role           text not null check (role in ('admin', 'supervisor', 'operator', 'office_staff', 'field_worker')),
  password_hash  text not null,
  language       text not null default 'it' check (language in ('it', 'en')),
  active         boolean not null default true,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create unique index staff_users_email_key on staff_users (email);

-- Which offices a staff member works for; office_staff see only these offices' cases.
create table staff_offices (
  staff_user_id  bigint not null references staff_users (id) on delete cascade,
  office_id      bigint not null references offices (id) on delete cascade,
  primary key (staff_user_id, office_id)
);
create index staff_offices_office_idx on staff_offices (office_id);

-- Sessions are stored by the SHA-256 of their token: a leaked table cannot be replayed.
create table staff_sessions (
  token_hash     bytea primary key,
  staff_user_id  bigint not null references staff_users (id) on delete cascade,
  created_at     timestamptz not null default now(),
  last_seen_at   timestamptz not null default now(),
  expires_at     timestamptz not null,
  ip             text,
  user_agent     text
);
create index staff_sessions_user_idx on staff_sessions (staff_user_id);
create index staff_sessions_expires_idx on staff_sessions (expires_at);

-- Failed logins, counted per email over a sliding window to throttle guessing.
create table login_failures (
  id          bigint generated always as identity primary key,
  email       text not null,
  ip          text,
  failed_at   timestamptz not null default now()
);
create index login_failures_email_idx on login_failures (email, failed_at desc);

create table categories (
  id          bigint generated always as identity primary key,
  parent_id   bigint references categories (id),
  code        text not null unique check (code ~ '^[a-z0-9_.-]{2,80}$'),
  name_it     text not null check (length(name_it) between 1 and 200),
  name_en     text not null check (length(name_en) between 1 and 200),
  office_id   bigint references offices (id),
  active      boolean not null default true,
  sort_order  integer not null default 0,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  check (parent_id is null or parent_id <> id)
);
create index categories_parent_idx on categories (parent_id);

create table queues (
  id          bigint generated always as identity primary key,
  code        text not null unique check (code ~ '^[a-z0-9_-]{2,40}$'),
  name        text not null check (length(name) between 1 and 200),
  office_id   bigint references offices (id),
  active      boolean not null default true,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

create table contacts (
  id                 bigint generated always as identity primary key,
  kind               text not null default 'person' check (kind in ('person', 'organisation')),
  first_name         text,
  last_name          text,
  organisation_name  text,
  fiscal_code        text check (fiscal_code is null or fiscal_code ~ '^[A-Z0-9]{11,16}$'),
  vat_number         text check (vat_number is null or vat_number ~ '^[0-9]{11}$'),
  email              text,
  phone              text,
  preferred_channel  text check (preferred_channel is null or preferred_channel in ('email', 'io', 'phone', 'pec')),
  language           text not null default 'it' check (language in ('it', 'en')),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check (
    (kind = 'person' and coalesce(first_name, last_name) is not null)
    or (kind = 'organisation' and organisation_name is not null)
  )
);
create index contacts_fiscal_code_idx on contacts (fiscal_code) where fiscal_code is not null;
create index contacts_email_idx on contacts (lower(email)) where email is not null;
create index contacts_phone_idx on contacts (phone) where phone is not null;

-- One row per year hands out gap-free case numbers (PRA-2026-000123).
create table case_number_counters (
  year        integer primary key,
  last_value  integer not null
);

create table cases (
  id                     bigint generated always as identity primary key,
  number                 text not null unique,
  subject                text not null check (length(subject) between 1 and 300),
  description            text not null default '' check (length(description) <= 20000),
  channel                text not null check (channel in ('phone', 'email', 'pec', 'web', 'open311', 'field', 'counter')),
  status                 text not null default 'new' check (status in (
                           'new', 'open', 'assigned', 'in_progress', 'waiting_citizen',
                           'waiting_third_party', 'resolved', 'closed')),
  priority               text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  category_id            bigint references categories (id),
  queue_id               bigint references queues (id),
  office_id              bigint references offices (id),
  assignee_id            bigint references staff_users (id),
  contact_id             bigint references contacts (id),
  latitude               double precision check (latitude between -90 and 90),
  longitude              double precision check (longitude between -180 and 180),
  address                text,
  civic_number           text,
  tags                   text[] not null default '{}',
  first_response_due_at  timestamptz,
  resolution_due_at      timestamptz,
  first_responded_at     timestamptz,
  resolved_at            timestamptz,
  closed_at              timestamptz,
  created_by             bigint references staff_users (id),
  version                integer not null default 1,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  check ((latitude is null) = (longitude is null))
);
-- The default list order (newest first) and the filters an operator uses most.
create index cases_created_idx on cases (created_at desc, id desc);
create index cases_status_created_idx on cases (status, created_at desc, id desc);
create index cases_office_created_idx on cases (office_id, created_at desc, id desc);
create index cases_queue_created_idx on cases (queue_id, created_at desc, id desc);
create index cases_assignee_idx on cases (assignee_id) where assignee_id is not null;
create index cases_contact_idx on cases (contact_id) where contact_id is not null;
create index cases_category_idx on cases (category_id);

-- The timeline: everything that happened to a case. actor_id null means the system.
-- dedupe_key makes a worker's effect idempotent: the same job run twice adds one event.
create table case_events (
  id          bigint generated always as identity primary key,
  case_id     bigint not null references cases (id) on delete cascade,
  kind        text not null check (kind ~ '^[a-z_.]{2,60}$'),
  actor_id    bigint references staff_users (id),
  data        jsonb not null default '{}',
  dedupe_key  text,
  created_at  timestamptz not null default now()
);
create index case_events_case_idx on case_events (case_id, id);
create unique index case_events_dedupe_key on case_events (case_id, dedupe_key) where dedupe_key is not null;

-- The transactional outbox. A row is written in the same transaction as the change
-- that causes it; the relay turns it into a BullMQ job whose id is derived from the
-- row id, and the consumer sets processed_at in the transaction of its effect.
create table outbox (
  id            bigint generated always as identity primary key,
  queue         text not null,
  job_name      text not null,
  payload       jsonb not null,
  created_at    timestamptz not null default now(),
  published_at  timestamptz,
  publish_count integer not null default 0,
  processed_at  timestamptz,
  last_error    text
);
create index outbox_unprocessed_idx on outbox (id) where processed_at is null;

-- Wake the relay as soon as a row is committed instead of waiting for its next poll.
create function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('outbox', new.id::text);
  return null;
end $$;
create trigger outbox_notify after insert on outbox for each row execute function outbox_notify();
