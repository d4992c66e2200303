-- Routing rules: ordered by position (then id), first enabled match wins. conditions
-- and actions are validated by core/src/routing/rule.schemas.ts before they are stored.
create table routing_rules (
  id          bigint generated always as identity primary key,
  name        text not null check (length(name) between 1 and 120),
  position    integer not null default 0 check (position between 0 and 1000000),
  enabled     boolean not null default true,
  conditions  jsonb not null default '{}',
  actions     jsonb not null,
  version     integer not null default 1,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index routing_rules_position_idx on routing_rules (position, id);
