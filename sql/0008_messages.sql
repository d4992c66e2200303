-- Messages of a case: what citizens sent on any channel (and, later, what Filo
-- answered). Inbound messages are unique per (channel, external id): that is what
-- makes ingest idempotent, whatever a channel redelivers.
create table case_messages (
  id           bigint generated always as identity primary key,
  case_id      bigint not null references cases (id) on delete cascade,
  direction    text not null check (direction in ('in', 'out')),
  channel      text not null check (channel in ('phone', 'email', 'pec', 'web', 'open311', 'field', 'counter')),
  external_id  text not null check (length(external_id) between 1 and 500),
  -- Opaque, per channel (an email's root Message-ID, a caller's open call…): messages sharing one share a case.
  thread_key   text check (thread_key is null or length(thread_key) between 1 and 500),
  -- Who sent it, as the channel knew them (email, phone, codice fiscale, name), normalised.
  sender       jsonb not null default '{}',
  subject      text check (subject is null or length(subject) <= 300),
  body_text    text not null default '' check (length(body_text) <= 100000),
  -- Stored as the channel gave it; sanitising is the email channel's job, before ingest.
  body_html    text check (body_html is null or length(body_html) <= 500000),
  -- { latitude, longitude, address?, civicNumber? } when the citizen said where.
  location     jsonb,
  -- Attachments as the channel stored them ({ filename, contentType, size, ref }); not yet attachment rows.
  attachments  jsonb not null default '[]',
  received_at  timestamptz not null,
  -- Where the raw original is kept (object key of the .eml, the webhook body…).
  raw_ref      text check (raw_ref is null or length(raw_ref) <= 1000),
  created_at   timestamptz not null default now()
);
create unique index case_messages_inbound_key on case_messages (channel, external_id) where direction = 'in';
create index case_messages_case_idx on case_messages (case_id, id);
create index case_messages_thread_idx on case_messages (channel, thread_key) where thread_key is not null;
