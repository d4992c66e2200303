-- Canned replies: texts supervisors and admins write once and staff insert in the
-- reply box, with variables ({{numero}}, {{oggetto}}, {{nome}}, {{link_stato}}…) filled
-- from the case. One language per text; a category narrows where it is offered.
create table canned_replies (
  id           bigint generated always as identity primary key,
  title        text not null check (length(title) between 1 and 120),
  language     text not null default 'it' check (language in ('it', 'en')),
  body         text not null check (length(body) between 1 and 10000),
  category_id  bigint references categories (id),
  active       boolean not null default true,
  version      integer not null default 1,
  created_by   bigint references staff_users (id),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);

create unique index canned_replies_title_language_key on canned_replies (lower(title), language);
create index canned_replies_category_idx on canned_replies (category_id) where category_id is not null;

-- The dashboard's SLA compliance looks up first-response deadlines by date range, as
-- it does resolution deadlines (cases_resolution_due_idx).
create index cases_first_response_due_idx on cases (first_response_due_at) where first_response_due_at is not null;
