-- Daily rollups for the supervisors' dashboard, so a year of statistics reads a few
-- thousand rows instead of a million cases.
--
-- How they stay exact: statement-level triggers on cases with transition tables add
-- each statement's net change to the rollups, in the same transaction as the change.
-- A reader's snapshot therefore sees the cases and their rollups in the same state —
-- there is no refresh to miss or to run twice, and nothing but PostgreSQL involved.
-- Statement-level rather than row-level: one bulk statement (a seed batch, the SLA
-- pass over every case) becomes one grouped upsert per rollup instead of one per row.
-- An update is counted only for the rows whose rolled-up columns changed, as a
-- removal of the old row and an addition of the new one, so a case moved to another
-- office, category, channel, day or status moves its count. A merged case
-- (merged_into_id set) counts nowhere, as on the dashboard.
--
-- Concurrency: the upserts (insert … on conflict do update) lock one rollup row per key
-- until commit, in key order, so concurrent writers of the same key queue behind each
-- other rather than lose an increment. Days are Europe/Rome calendar days, which is all
-- the dashboard asks for: its ranges are whole Rome days, its periods days, ISO weeks or
-- months made of them.

-- Cases opened per Rome day (created_at) by channel, category and office.
create table case_volume_days (
  day          date not null,
  channel      text not null,
  category_id  bigint,
  office_id    bigint,
  cases        integer not null default 0,
  constraint case_volume_days_key unique nulls not distinct (day, channel, category_id, office_id)
);

-- SLA deadlines per Rome day they fall due and office: met (done by the deadline), late
-- (done after it), undone (not done yet: breached once the deadline has passed, pending before).
create table case_deadline_days (
  deadline   text not null check (deadline in ('resolution', 'first_response')),
  day        date not null,
  office_id  bigint,
  met        integer not null default 0,
  late       integer not null default 0,
  undone     integer not null default 0,
  constraint case_deadline_days_key unique nulls not distinct (deadline, day, office_id)
);

-- Open cases (new … waiting_third_party) per Rome day they were opened; unassigned apart.
create table case_backlog_days (
  day         date primary key,
  cases       integer not null default 0,
  unassigned  integer not null default 0
);

-- What a rollup needs of a case, with +1 (added) or -1 (removed).
create type case_rollup_change as (
  sign                   integer,
  created_at             timestamptz,
  channel                text,
  category_id            bigint,
  office_id              bigint,
  merged                 boolean,
  status                 text,
  assignee_id            bigint,
  resolution_due_at      timestamptz,
  resolved_at            timestamptz,
  first_response_due_at  timestamptz,
  first_responded_at     timestamptz
);

-- The one place that says how a case counts. Keys are upserted in order (the same
-- order in every transaction), so two writers never wait for each other crosswise.
create function case_rollups_add(changes case_rollup_change[]) returns void
language plpgsql as $$
begin
  insert into case_volume_days as v (day, channel, category_id, office_id, cases)
  select (c.created_at at time zone 'Europe/Rome')::date, c.channel, c.category_id, c.office_id, sum(c.sign)
    from unnest(changes) c
   where not c.merged
   group by 1, 2, 3, 4
  having sum(c.sign) <> 0
   order by 1, 2, 3, 4
  on conflict (day, channel, category_id, office_id) do update set cases = v.cases + excluded.cases;

  insert into case_deadline_days as d (deadline, day, office_id, met, late, undone)
  select deadline, day, office_id, met, late, undone
    from (
      select x.deadline, (x.due at time zone 'Europe/Rome')::date as day, x.office_id,
             coalesce(sum(x.sign) filter (where x.done <= x.due), 0) as met,
             coalesce(sum(x.sign) filter (where x.done > x.due), 0) as late,
             coalesce(sum(x.sign) filter (where x.done is null), 0) as undone
        from unnest(changes) c
        cross join lateral (values
          ('resolution', c.resolution_due_at, c.resolved_at, c.office_id, c.sign),
          ('first_response', c.first_response_due_at, c.first_responded_at, c.office_id, c.sign)
        ) x (deadline, due, done, office_id, sign)
       where not c.merged and x.due is not null
       group by 1, 2, 3
    ) g
   where (met, late, undone) <> (0, 0, 0)
   order by 1, 2, 3
  on conflict (deadline, day, office_id) do update
     set met = d.met + excluded.met, late = d.late + excluded.late, undone = d.undone + excluded.undone;

  insert into case_backlog_days as b (day, cases, unassigned)
  select day, cases, unassigned
    from (
      select (c.created_at at time zone 'Europe/Rome')::date as day, sum(c.sign) as cases,
             coalesce(sum(c.sign) filter (where c.assignee_id is null), 0) as unassigned
        from unnest(changes) c
       where not c.merged
         and c.status in ('new', 'open', 'assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party')
       group by 1
    ) g
   where (cases, unassigned) <> (0, 0)
   order by 1
  on conflict (day) do update set cases = b.cases + excluded.cases, unassigned = b.unassigned + excluded.unassigned;
end $$;

create function cases_rollup_inserted() returns trigger
language plpgsql as $$
begin
  perform case_rollups_add(array(
    select row(1, n.created_at, n.channel, n.category_id, n.office_id, n.merged_into_id is not null,
               n.status, n.assignee_id, n.resolution_due_at, n.resolved_at,
               n.first_response_due_at, n.first_responded_at)::case_rollup_change
      from new_rows n));
  return null;
end $$;

create function cases_rollup_deleted() returns trigger
language plpgsql as $$
begin
  perform case_rollups_add(array(
    select row(-1, o.created_at, o.channel, o.category_id, o.office_id, o.merged_into_id is not null,
               o.status, o.assignee_id, o.resolution_due_at, o.resolved_at,
               o.first_response_due_at, o.first_responded_at)::case_rollup_change
      from old_rows o));
  return null;
end $$;

create function cases_rollup_updated() returns trigger
language plpgsql as $$
begin
  -- Only rows whose rolled-up columns changed: most updates (a note's updated_at, a
  -- priority, the SLA pass's warn times) touch none and cost one join of their own rows.
  perform case_rollups_add(array(
    select ch.change
      from old_rows o
      join new_rows n on n.id = o.id
      cross join lateral (values
        (row(-1, o.created_at, o.channel, o.category_id, o.office_id, o.merged_into_id is not null,
             o.status, o.assignee_id, o.resolution_due_at, o.resolved_at,
             o.first_response_due_at, o.first_responded_at)::case_rollup_change),
        (row(1, n.created_at, n.channel, n.category_id, n.office_id, n.merged_into_id is not null,
             n.status, n.assignee_id, n.resolution_due_at, n.resolved_at,
             n.first_response_due_at, n.first_responded_at)::case_rollup_change)
      ) ch (change)
     where (o.created_at, o.channel, o.category_id, o.office_id, o.merged_into_id is not null, o.status,
            o.assignee_id, o.resolution_due_at, o.resolved_at, o.first_response_due_at, o.first_responded_at)
           is distinct from
           (n.created_at, n.channel, n.category_id, n.office_id, n.merged_into_id is not null, n.status,
            n.assignee_id, n.resolution_due_at, n.resolved_at, n.first_response_due_at, n.first_responded_at)));
  return null;
end $$;

create function cases_rollup_truncated() returns trigger
language plpgsql as $$
begin
  delete from case_volume_days;
  delete from case_deadline_days;
  delete from case_backlog_days;
  return null;
end $$;

-- Backfill and triggers under one lock that lets readers in and keeps writers out, so no
-- case is written between the backfill and the trigger that would have counted it.
lock table cases in share mode;

do $$
declare
  lo bigint;
  hi bigint;
begin
  select min(id), max(id) into lo, hi from cases;
  -- In slices of ids, so a million cases never make one million-element array.
  while lo <= hi loop
    perform case_rollups_add(array(
      select row(1, c.created_at, c.channel, c.category_id, c.office_id, c.merged_into_id is not null,
                 c.status, c.assignee_id, c.resolution_due_at, c.resolved_at,
                 c.first_response_due_at, c.first_responded_at)::case_rollup_change
        from cases c
       where c.id >= lo and c.id < lo + 50000));
    lo := lo + 50000;
  end loop;
end $$;

create trigger cases_rollup_inserted after insert on cases
  referencing new table as new_rows for each statement execute function cases_rollup_inserted();
create trigger cases_rollup_updated after update on cases
  referencing old table as old_rows new table as new_rows for each statement execute function cases_rollup_updated();
create trigger cases_rollup_deleted after delete on cases
  referencing old table as old_rows for each statement execute function cases_rollup_deleted();
create trigger cases_rollup_truncated after truncate on cases
  for each statement execute function cases_rollup_truncated();

analyze case_volume_days;
analyze case_deadline_days;
analyze case_backlog_days;
