-- Assignment inside a queue. Each queue says how its waiting cases reach an agent
-- (manual, round robin, least loaded, by skill) and whether an agent who goes offline
-- gives back the cases they have not started; its members are the agents it may
-- assign to, each with the time of their last assignment from it (round robin's
-- clock). Categories name the skills their cases need. Presence is one row per
-- agent: no row means offline. An agent's load is counted from cases, never stored.

alter table queues
  add column assignment_strategy text not null default 'manual'
    check (assignment_strategy in ('manual', 'round_robin', 'least_loaded', 'skill')),
  add column release_on_offline boolean not null default true;

alter table categories
  add column required_skills text[] not null default '{}';

create table queue_members (
  queue_id          bigint not null references queues (id) on delete cascade,
  user_id           bigint not null references staff_users (id) on delete cascade,
  last_assigned_at  timestamptz,
  primary key (queue_id, user_id)
);
-- The queues of one agent: who to dispatch when they become available or finish a case.
create index queue_members_user_idx on queue_members (user_id);

create table staff_presence (
  user_id     bigint primary key references staff_users (id) on delete cascade,
  state       text not null check (state in ('available', 'busy', 'away', 'offline')),
  changed_at  timestamptz not null default now()
);

-- An agent's load: their cases in a status that is still theirs to work.
create index cases_assignee_load_idx on cases (assignee_id, status)
  where assignee_id is not null
    and status in ('assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party');
-- A queue's waiting cases in the order they are handed out: most urgent, then oldest.
create index cases_queue_waiting_idx on cases (queue_id, priority_rank desc, id)
  where assignee_id is null and merged_into_id is null and status in ('new', 'open');
