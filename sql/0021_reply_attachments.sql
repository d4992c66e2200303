-- Files a staff reply sends to the citizen. They are chosen among the case's
-- attachments and stored with the queued reply, in the same transaction: the job
-- that sends it reads them from here, so a retry sends the same files and a lost
-- Redis loses nothing. A reply is either an email from a case's mailbox (a
-- mail_outbound row) or a citizen notification (its reply_queued event, which the
-- notification rows of every channel name as their event).
-- The citizen's status page offers exactly these files (while not removed), and no
-- other attachment of the case.

create table reply_attachments (
  id               bigint generated always as identity primary key,
  case_id          bigint not null references cases (id) on delete cascade,
  mail_outbound_id bigint references mail_outbound (id) on delete cascade,
  reply_event_id   bigint references case_events (id) on delete cascade,
  attachment_id    bigint not null references attachments (id),
  -- The order the operator chose them in, which is the order they are attached.
  position         smallint not null check (position between 0 and 99),
  created_at       timestamptz not null default now(),
  check ((mail_outbound_id is null) <> (reply_event_id is null))
);
create unique index reply_attachments_outbound_idx
  on reply_attachments (mail_outbound_id, attachment_id) where mail_outbound_id is not null;
create unique index reply_attachments_event_idx
  on reply_attachments (reply_event_id, attachment_id) where reply_event_id is not null;
-- What the status page of a case offers.
create index reply_attachments_case_idx on reply_attachments (case_id, attachment_id);
-- Which replies sent an attachment (the foreign key, and a future blob sweep).
create index reply_attachments_attachment_idx on reply_attachments (attachment_id);
