-- SLA policies on business calendars, deadlines on the case, timers and escalation,
-- and the notifications staff see in the console (SLA warnings, new messages).
--
-- A case's deadlines are a pure function of its policy, its calendar, when its clocks
-- started and how much business time they spent paused (waiting for the citizen):
-- core/src/sla/sla.service.ts recomputes them whenever one of those changes. The
-- deadlines live in indexed columns, so "at risk" and "breached" are index scans, and
-- sla_next_at — the next timer still to fire — is what the workers schedule BullMQ
-- delayed jobs from, and rebuild them from when Redis lost them.

create table business_calendars (
  id          bigint generated always as identity primary key,
  code        text not null unique check (code ~ '^[a-z0-9_-]{2,40}$'),
  name        text not null check (length(name) between 1 and 120),
  -- Opening hours, time zone and local holidays; validated by core/src/sla/calendar.ts.
  settings    jsonb not null check (jsonb_typeof(settings) = 'object'),
  version     integer not null default 1,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

create table sla_policies (
  id                      bigint generated always as identity primary key,
  name                    text not null check (length(name) between 1 and 120),
  -- The scope: null means any. The most specific active policy applies to a case.
  category_id             bigint references categories (id),
  priority                text check (priority in ('low', 'normal', 'high', 'urgent')),
  calendar_id             bigint not null references business_calendars (id),
  -- Targets in business minutes of the calendar.
  first_response_minutes  integer not null check (first_response_minutes between 1 and 525600),
  resolution_minutes      integer not null check (resolution_minutes between 1 and 5256000),
  -- The warning fires when this share of a target has elapsed.
  warn_percent            integer not null default 75 check (warn_percent between 1 and 99),
  -- What happens at the warning and at the breach; validated by core/src/sla/sla.schemas.ts.
  on_warning              jsonb not null default '{"notifySupervisors": true}',
  on_breach               jsonb not null default '{"notifySupervisors": true}',
  active                  boolean not null default true,
  version                 integer not null default 1,
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now()
);
-- One active policy per scope, so "the most specific" is never a tie.
create unique index sla_policies_scope_idx
  on sla_policies (coalesce(category_id, 0), coalesce(priority, '')) where active;

alter table cases
  add column sla_policy_id                  bigint references sla_policies (id),
  -- Set when a routing rule chose the policy: a later change of priority or category keeps it.
  add column sla_policy_pinned              boolean not null default false,
  -- When the resolution clock started: the creation, or the last reopening.
  add column sla_started_at                 timestamptz,
  add column first_response_warn_at         timestamptz,
  add column resolution_warn_at             timestamptz,
  -- Set while the case waits for the citizen: the clocks stand still.
  add column sla_paused_at                  timestamptz,
  -- Business minutes each clock spent paused, added to its target.
  add column first_response_paused_minutes  double precision not null default 0,
  add column resolution_paused_minutes      double precision not null default 0,
  -- Timers already fired ('first_response.warning', 'resolution.breach'…), so each fires once.
  add column sla_fired                      text[] not null default '{}',
  -- The next timer to fire; null when none is pending.
  add column sla_next_at                    timestamptz;

create index cases_sla_next_idx on cases (sla_next_at, id) where sla_next_at is not null;
-- "At risk" (warned, not yet due) and "breached" (due) for each clock that still runs.
create index cases_sla_first_response_idx on cases (first_response_warn_at, first_response_due_at)
  where first_responded_at is null and sla_paused_at is null and status not in ('resolved', 'closed');
create index cases_sla_resolution_idx on cases (resolution_warn_at, resolution_due_at)
  where sla_paused_at is null and status not in ('resolved', 'closed');
create index cases_sla_policy_idx on cases (sla_policy_id) where sla_policy_id is not null;

-- What a member of staff is told about: an SLA warning on a case they supervise, a new
-- message on a case assigned to them. dedupe_key makes the job that writes it idempotent.
create table staff_notifications (
  id          bigint generated always as identity primary key,
  user_id     bigint not null references staff_users (id) on delete cascade,
  kind        text not null check (kind ~ '^[a-z_.]{2,60}$'),
  case_id     bigint references cases (id) on delete cascade,
  data        jsonb not null default '{}',
  dedupe_key  text not null,
  created_at  timestamptz not null default now(),
  read_at     timestamptz,
  unique (user_id, dedupe_key)
);
create index staff_notifications_user_idx on staff_notifications (user_id, id desc);
create index staff_notifications_unread_idx on staff_notifications (user_id) where read_at is null;
