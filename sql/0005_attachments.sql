-- Case attachments. The bytes live outside the database, content-addressed by their
-- SHA-256 (the same file uploaded twice is stored once); each upload is a row here.
-- content_type is what Filo sniffed from the bytes; declared_content_type is what the
-- client claimed, kept for the record and never trusted.
-- A removed attachment is only marked (deleted_at): the audit log and the timeline
-- still refer to it, and its blob may be shared with other rows.

create table attachments (
  id                     bigint generated always as identity primary key,
  case_id                bigint not null references cases (id) on delete cascade,
  sha256                 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes             bigint not null check (size_bytes > 0),
  content_type           text not null check (length(content_type) between 3 and 200),
  declared_content_type  text check (length(declared_content_type) <= 200),
  filename               text not null check (length(filename) between 1 and 200),
  uploaded_by            bigint references staff_users (id),
  created_at             timestamptz not null default now(),
  deleted_at             timestamptz,
  deleted_by             bigint references staff_users (id),
  check ((deleted_at is null) = (deleted_by is null))
);
-- A case's attachments, oldest first.
create index attachments_case_idx on attachments (case_id, id);
-- Which rows still use a blob, for a future sweep of unreferenced blobs.
create index attachments_sha256_idx on attachments (sha256);
