-- Administration of the organisation: offices, staff, the category tree and queues
-- become editable. Each gets a version for optimistic concurrency (two admins editing
-- the same row: the second is told, not overwritten). Staff get the skills and the
-- capacity that routing will weigh; categories get the extra questions the web form
-- and Open311 ask, whose shape is validated in code (core/src/admin/category.questions.ts).

alter table offices add column version integer not null default 1;

alter table queues add column version integer not null default 1;
create index queues_office_idx on queues (office_id);

alter table categories
  add column version integer not null default 1,
  add column questions jsonb not null default '[]' check (jsonb_typeof(questions) = 'array');
create index categories_office_idx on categories (office_id);

alter table staff_users
  add column version integer not null default 1,
  add column skills text[] not null default '{}',
  add column capacity integer not null default 10 check (capacity between 0 and 1000);
-- "The last active admin" is asked on every demotion or deactivation of an admin.
create index staff_users_active_role_idx on staff_users (role) where active;
