-- The audit log: every change (who, when, what, before/after) and every read of a
-- contact's personal data. Append-only: rows can be inserted and read, never
-- changed or removed, whoever asks (the trigger holds even for the table's owner).

create table audit_log (
  id           bigint generated always as identity primary key,
  at           timestamptz not null default now(),
  actor_id     bigint references staff_users (id),
  action       text not null check (action ~ '^[a-z_]+\.[a-z_.]+$'),
  entity_type  text not null check (entity_type ~ '^[a-z_]+$'),
  entity_id    bigint,
  before       jsonb,
  after        jsonb,
  ip           text,
  request_id   text
);
create index audit_log_entity_idx on audit_log (entity_type, entity_id, id desc);
create index audit_log_actor_idx on audit_log (actor_id, id desc);
create index audit_log_at_idx on audit_log (at desc);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
revoke update, delete, truncate on audit_log from public;
