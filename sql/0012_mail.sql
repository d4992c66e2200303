-- The email and PEC channel: mailboxes polled over IMAP, what each poll imported,
-- and the replies Filo sends through each mailbox's SMTP account.

-- A mailbox an administrator configured. Passwords are AES-256-GCM ciphertexts made
-- with MAIL_CREDENTIALS_KEY: never stored, logged or returned in clear.
create table mailboxes (
  id                     bigint generated always as identity primary key,
  name                   text not null unique check (length(name) between 1 and 120),
  -- The address citizens write to; the From of replies sent through this mailbox.
  address                text not null check (length(address) between 3 and 254),
  is_pec                 boolean not null default false,
  enabled                boolean not null default true,
  imap_host              text not null check (length(imap_host) between 1 and 253),
  imap_port              integer not null check (imap_port between 1 and 65535),
  imap_security          text not null check (imap_security in ('tls', 'starttls', 'none')),
  imap_user              text not null check (length(imap_user) between 1 and 254),
  imap_password_enc      text not null,
  folder                 text not null default 'INBOX' check (length(folder) between 1 and 200),
  -- After a message is imported: flag it \Seen, or move it to move_to.
  after_import           text not null default 'flag' check (after_import in ('flag', 'move')),
  move_to                text check (move_to is null or length(move_to) between 1 and 200),
  smtp_host              text not null check (length(smtp_host) between 1 and 253),
  smtp_port              integer not null check (smtp_port between 1 and 65535),
  smtp_security          text not null check (smtp_security in ('tls', 'starttls', 'none')),
  smtp_user              text check (smtp_user is null or length(smtp_user) between 1 and 254),
  smtp_password_enc      text,
  poll_interval_seconds  integer not null default 60 check (poll_interval_seconds between 10 and 3600),
  version                integer not null default 1,
  -- Polling state, written by the workers: the folder's UIDVALIDITY and the highest UID done.
  uid_validity           bigint,
  last_uid               bigint not null default 0,
  last_polled_at         timestamptz,
  last_success_at        timestamptz,
  last_error             text check (last_error is null or length(last_error) <= 2000),
  last_error_at          timestamptz,
  consecutive_failures   integer not null default 0,
  -- After failures the mailbox is left alone until then (exponential backoff).
  next_poll_at           timestamptz,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  check (after_import = 'flag' or move_to is not null)
);

-- One row per message a poll handled, keyed by where it was in the folder: a UID
-- already here is never handled again, whatever restarts or concurrent pollers.
create table mail_imports (
  mailbox_id       bigint not null references mailboxes (id) on delete cascade,
  uid_validity     bigint not null,
  uid              bigint not null,
  message_id       text check (message_id is null or length(message_id) <= 500),
  -- created / threaded / duplicate (ingest), auto_reply_ignored, bounce, pec_receipt,
  -- refused_too_large, rate_limited, unmatched_report.
  outcome          text not null check (outcome ~ '^[a-z_]{2,40}$'),
  case_id          bigint references cases (id) on delete set null,
  case_message_id  bigint references case_messages (id) on delete set null,
  -- The raw message as received, content-addressed in the attachments storage (sha256:<hex>).
  raw_ref          text check (raw_ref is null or length(raw_ref) <= 1000),
  note             text check (note is null or length(note) <= 2000),
  sender           text check (sender is null or length(sender) <= 254),
  imported_at      timestamptz not null default now(),
  primary key (mailbox_id, uid_validity, uid)
);
create index mail_imports_sender_idx on mail_imports (sender, imported_at) where sender is not null;

-- Email metadata of stored case messages (both directions): the ids replies refer to.
create table mail_headers (
  case_message_id  bigint primary key references case_messages (id) on delete cascade,
  mailbox_id       bigint references mailboxes (id) on delete set null,
  message_id       text not null check (length(message_id) between 1 and 500),
  in_reply_to      text check (in_reply_to is null or length(in_reply_to) <= 500),
  "references"     text[] not null default '{}',
  auto_reply       boolean not null default false,
  -- PEC: the certified sender from daticert.xml, and the envelope's kind (posta-certificata).
  certified_sender text check (certified_sender is null or length(certified_sender) <= 254),
  pec_transport    text check (pec_transport is null or length(pec_transport) <= 40)
);
create index mail_headers_message_id_idx on mail_headers (message_id);

-- A reply Filo sends. The Message-ID is chosen and the attempt recorded here before
-- the SMTP conversation starts, so a worker that dies after the server accepted the
-- message finds the attempt and never sends it a second time.
create table mail_outbound (
  id               bigint generated always as identity primary key,
  case_message_id  bigint not null unique references case_messages (id) on delete cascade,
  case_id          bigint not null references cases (id) on delete cascade,
  mailbox_id       bigint not null references mailboxes (id),
  message_id       text not null unique check (length(message_id) between 1 and 500),
  to_address       text not null check (length(to_address) between 3 and 254),
  subject          text not null check (length(subject) <= 400),
  in_reply_to      text check (in_reply_to is null or length(in_reply_to) <= 500),
  "references"     text[] not null default '{}',
  -- queued → sending → sent | failed; sending left behind by a dead worker → uncertain;
  -- sent → bounced on a delivery status notification. PEC adds its receipts in pec_state.
  state            text not null default 'queued'
                   check (state in ('queued', 'sending', 'sent', 'failed', 'uncertain', 'bounced')),
  pec_state        text check (pec_state is null or length(pec_state) <= 40),
  attempts         integer not null default 0,
  attempt_started_at timestamptz,
  sent_at          timestamptz,
  smtp_response    text check (smtp_response is null or length(smtp_response) <= 1000),
  last_error       text check (last_error is null or length(last_error) <= 2000),
  created_by       bigint references staff_users (id),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index mail_outbound_case_idx on mail_outbound (case_id, id);
