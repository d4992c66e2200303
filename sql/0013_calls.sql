-- The phone channel: the PBX tells Filo about calls through the CTI webhook (Zammad's
-- generic CTI API), one token per PBX; numbers on the block list are rejected; every
-- call is logged with its lifecycle, the caller as recognised from their number, the
-- operator who answered, and the case opened from it (by an operator, or the callback
-- task of a missed call).

-- The extension (or direct number) a staff member answers on: how the PBX's
-- answeringNumber is matched to a person.
alter table staff_users
  add column extension text check (extension is null or extension ~ '^[0-9A-Za-z*#+._@-]{1,60}$');
create unique index staff_users_extension_key on staff_users (extension) where extension is not null;

-- A PBX's secret for the webhook. Only a SHA-256 of the token is kept (tokens are
-- 256 random bits, so a fast hash is enough): the token itself is shown once.
create table cti_tokens (
  id            bigint generated always as identity primary key,
  name          text not null check (length(name) between 1 and 120),
  token_hash    text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  -- The token's last characters, so an admin can tell which one a PBX holds.
  token_hint    text not null check (length(token_hint) between 1 and 8),
  created_by    bigint references staff_users (id),
  created_at    timestamptz not null default now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  revoked_by    bigint references staff_users (id)
);

-- Callers the PBX is told to reject ({"action":"reject","reason":"busy"}): E.164 when
-- the number reads as one, otherwise as the PBX sends it ("anonymous").
create table cti_blocked_numbers (
  id          bigint generated always as identity primary key,
  number      text not null unique check (length(number) between 1 and 60),
  note        text check (note is null or length(note) <= 500),
  created_by  bigint references staff_users (id),
  created_at  timestamptz not null default now()
);

create table calls (
  id                     bigint generated always as identity primary key,
  token_id               bigint not null references cti_tokens (id),
  -- The PBX's id of the call: events about one call carry the same one.
  external_id            text not null check (length(external_id) between 1 and 250),
  direction              text not null check (direction in ('in', 'out')),
  state                  text not null check (state in ('ringing', 'answered', 'ended')),
  -- How it ended: answered, missed (nobody picked up), abandoned (the caller gave up),
  -- forwarded, voicemail, blocked (rejected by the block list); unanswered for outbound.
  outcome                text check (outcome in ('answered', 'missed', 'abandoned', 'forwarded', 'voicemail', 'blocked', 'unanswered')),
  from_number            text not null check (length(from_number) <= 100),
  to_number              text not null check (length(to_number) <= 100),
  from_e164              text,
  to_e164                text,
  -- The citizen's side of the call (the caller inbound, the called party outbound), E.164.
  remote_e164            text,
  queue_name             text check (queue_name is null or length(queue_name) <= 200),
  queue_id               bigint references queues (id) on delete set null,
  -- The names the PBX gave in `user` (the called users inbound, the caller outbound).
  users                  text[] not null default '{}',
  answering_number       text check (answering_number is null or length(answering_number) <= 200),
  operator_id            bigint references staff_users (id) on delete set null,
  cause                  text check (cause is null or length(cause) <= 100),
  blocked                boolean not null default false,
  -- Caller recognition by remote_e164: one contact (known), several (probable), none.
  recognition            text not null default 'unknown' check (recognition in ('known', 'probable', 'unknown')),
  contact_id             bigint references contacts (id) on delete set null,
  candidate_contact_ids  bigint[] not null default '{}',
  -- The case opened from the call: by an operator, or the callback task of a missed call.
  case_id                bigint references cases (id) on delete set null,
  callback               boolean not null default false,
  -- Each later answer by someone else: [{ fromUserId, toUserId, answeringNumber, at }].
  transfers              jsonb not null default '[]',
  started_at             timestamptz not null,
  answered_at            timestamptz,
  ended_at               timestamptz,
  waiting_seconds        integer check (waiting_seconds is null or waiting_seconds >= 0),
  talking_seconds        integer check (talking_seconds is null or talking_seconds >= 0),
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  unique (token_id, external_id)
);
-- The call log, newest first, and its filters.
create index calls_started_idx on calls (started_at desc, id desc);
create index calls_operator_idx on calls (operator_id, started_at desc) where operator_id is not null;
create index calls_contact_idx on calls (contact_id, started_at desc) where contact_id is not null;
create index calls_remote_idx on calls (remote_e164, started_at desc) where remote_e164 is not null;
-- The wallboard: calls ringing now.
create index calls_ringing_idx on calls (started_at) where state = 'ringing';
create index calls_case_idx on calls (case_id) where case_id is not null;
