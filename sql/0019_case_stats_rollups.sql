-- Daily rollups for the supervisors' dashboard, so a year of statistics reads a few
-- thousand rows instead of a million cases.
--
-- How they stay exact: statement-level triggers on cases with transition tables append
-- each statement's net change to the rollups, in the same transaction as the change. A
-- reader's snapshot therefore sees the cases and their rollups in the same state: there
-- is no refresh to miss or to run twice, and nothing but PostgreSQL involved.
-- Statement-level rather than row-level: one bulk statement (a seed batch, the SLA pass
-- over every case) becomes one grouped insert per rollup instead of one per row. An
-- update counts only for the rows whose rolled-up columns changed, as the removal of the
-- old row and the addition of the new one, so a case moved to another office, category,
-- channel, day or status moves its count. A merged case (merged_into_id set) counts
-- nowhere, as on the dashboard. First-contact resolution depends on the timeline too, so
-- triggers on case_events judge it again for the cases whose timeline changed.
--
-- Why append, not upsert: a counter row per key (today's backlog, today's phone cases
-- of an office) updated in place would be locked by every writer until it commits, so
-- case creation would queue behind that row, and two transactions touching two keys in
-- opposite orders would deadlock. Appended rows lock nothing anyone else needs. A rollup
-- is the sum of its rows; every few hundred statements one transaction (the first to
-- take an advisory lock, never two at once) folds the fresh rows of the days they touch
-- into one row per key (case_rollups_compact), atomically, so readers see either the
-- rows or their sum. Readers always sum, so an unfolded row costs them a row, never a
-- wrong answer.
--
-- Days are Europe/Rome calendar days, which is all the dashboard asks for: its ranges are
-- whole Rome days, its periods days, ISO weeks or months made of them.

-- Cases opened per Rome day (created_at) by channel, by category and by office: one
-- grouping per dimension (the column of the others null), since the dashboard counts by
-- one at a time; a day is a few dozen rows rather than every combination of the three.
create table case_volume_days (
  day          date not null,
  dimension    text not null check (dimension in ('channel', 'category', 'office')),
  channel      text,
  category_id  bigint,
  office_id    bigint,
  cases        integer not null,
  fresh        boolean not null default true
);
create index case_volume_days_day_idx on case_volume_days (dimension, day);
create index case_volume_days_fresh_idx on case_volume_days (day) where fresh;

-- SLA deadlines per Rome day they fall due and office: met (done by the deadline), late
-- (done after it), undone (not done yet: breached once the deadline has passed, pending before).
create table case_deadline_days (
  deadline   text not null check (deadline in ('resolution', 'first_response')),
  day        date not null,
  office_id  bigint,
  met        integer not null,
  late       integer not null,
  undone     integer not null,
  fresh      boolean not null default true
);
create index case_deadline_days_day_idx on case_deadline_days (day);
create index case_deadline_days_fresh_idx on case_deadline_days (day) where fresh;

-- Open cases (new … waiting_third_party) per Rome day they were opened; unassigned apart.
create table case_backlog_days (
  day         date not null,
  cases       integer not null,
  unassigned  integer not null,
  fresh       boolean not null default true
);
create index case_backlog_days_day_idx on case_backlog_days (day);
create index case_backlog_days_fresh_idx on case_backlog_days (day) where fresh;

-- Cases opened per Rome day by each staff user (eligible) and, of them, those resolved
-- at first contact (case_first_contact below). Whether the creator is a call-centre
-- operator is asked when reading, of their role then, as the dashboard always did.
create table case_first_contact_days (
  day         date not null,
  created_by  bigint not null,
  eligible    integer not null,
  resolved    integer not null,
  fresh       boolean not null default true
);
create index case_first_contact_days_day_idx on case_first_contact_days (day);
create index case_first_contact_days_fresh_idx on case_first_contact_days (day) where fresh;

-- Resolved at first contact (core/src/stats/stats.schemas.ts, FIRST_CONTACT_MINUTES = 30):
-- the opener moved it to resolved within 30 minutes of opening it, nobody else had acted
-- on it before, and it was never reopened; `events` are the case's timeline.
create function case_first_contact(opened_at timestamptz, opened_by bigint, events case_events[]) returns boolean
language sql stable as $$
  select exists (
           select 1 from unnest(events) r
            where r.kind = 'status_changed' and r.data->>'to' = 'resolved'
              and r.actor_id = opened_by and r.created_at <= opened_at + 30 * interval '1 minute'
              and not exists (
                select 1 from unnest(events) o
                 where o.id < r.id and o.actor_id is not null and o.actor_id <> opened_by))
     and not exists (select 1 from unnest(events) x where x.kind = 'reopened')
$$;

-- Counts the statements that appended rows, to fold them every few hundred.
create sequence case_rollup_statements;

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
  first_responded_at     timestamptz,
  -- Resolved at first contact; null when the change leaves first contact alone (see the triggers).
  created_by             bigint,
  first_contact          boolean
);

-- Folds the fresh rows of every day they touch into one row per key, dropping keys that
-- sum to nothing. Run by one transaction at a time (the caller holds the advisory lock);
-- running it again folds nothing more.
create function case_rollups_compact() returns void
language plpgsql as $$
begin
  with days as (select distinct day from case_volume_days where fresh),
  folded as (delete from case_volume_days v using days where v.day = days.day returning v.*)
  insert into case_volume_days (day, dimension, channel, category_id, office_id, cases, fresh)
  select day, dimension, channel, category_id, office_id, sum(cases), false
    from folded group by 1, 2, 3, 4, 5 having sum(cases) <> 0;

  with days as (select distinct day from case_deadline_days where fresh),
  folded as (delete from case_deadline_days d using days where d.day = days.day returning d.*)
  insert into case_deadline_days (deadline, day, office_id, met, late, undone, fresh)
  select deadline, day, office_id, sum(met), sum(late), sum(undone), false
    from folded group by 1, 2, 3 having (sum(met), sum(late), sum(undone)) <> (0, 0, 0);

  with days as (select distinct day from case_backlog_days where fresh),
  folded as (delete from case_backlog_days b using days where b.day = days.day returning b.*)
  insert into case_backlog_days (day, cases, unassigned, fresh)
  select day, sum(cases), sum(unassigned), false
    from folded group by 1 having (sum(cases), sum(unassigned)) <> (0, 0);

  with days as (select distinct day from case_first_contact_days where fresh),
  folded as (delete from case_first_contact_days f using days where f.day = days.day returning f.*)
  insert into case_first_contact_days (day, created_by, eligible, resolved, fresh)
  select day, created_by, sum(eligible), sum(resolved), false
    from folded group by 1, 2 having (sum(eligible), sum(resolved)) <> (0, 0);
end $$;

-- The one place that says how a case counts: appends the net change of `changes` (each
-- +1 or -1) per key, then, every 500th statement, folds the fresh rows if no other
-- transaction is folding. Not under repeatable read or serializable: there, a fold could
-- miss rows another fold committed after the snapshot, so it waits for a read-committed
-- statement (every request of the application is one).
create function case_rollups_add(changes case_rollup_change[]) returns void
language plpgsql as $$
begin
  if cardinality(changes) = 0 then
    return;
  end if;

  insert into case_volume_days (day, dimension, channel, category_id, office_id, cases)
  select (c.created_at at time zone 'Europe/Rome')::date, x.dimension, x.channel, x.category_id, x.office_id,
         sum(c.sign)
    from unnest(changes) c
    cross join lateral (values
      ('channel', c.channel, null::bigint, null::bigint),
      ('category', null, c.category_id, null),
      ('office', null, null, c.office_id)
    ) x (dimension, channel, category_id, office_id)
   where not c.merged
   group by 1, 2, 3, 4, 5
  having sum(c.sign) <> 0;

  insert into case_deadline_days (deadline, day, office_id, met, late, undone)
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
   where (met, late, undone) <> (0, 0, 0);

  insert into case_backlog_days (day, cases, unassigned)
  select day, cases, unassigned
    from (
      select (c.created_at at time zone 'Europe/Rome')::date as day, sum(c.sign) as cases,
             coalesce(sum(c.sign) filter (where c.assignee_id is null), 0) as unassigned
        from unnest(changes) c
       where not c.merged
         and c.status in ('new', 'open', 'assigned', 'in_progress', 'waiting_citizen', 'waiting_third_party')
       group by 1
    ) g
   where (cases, unassigned) <> (0, 0);

  insert into case_first_contact_days (day, created_by, eligible, resolved)
  select day, created_by, eligible, resolved
    from (
      select (c.created_at at time zone 'Europe/Rome')::date as day, c.created_by, sum(c.sign) as eligible,
             coalesce(sum(c.sign) filter (where c.first_contact), 0) as resolved
        from unnest(changes) c
       where not c.merged and c.created_by is not null and c.first_contact is not null
       group by 1, 2
    ) g
   where (eligible, resolved) <> (0, 0);

  if nextval('case_rollup_statements') % 500 = 0
     and current_setting('transaction_isolation') = 'read committed'
     -- Any constant: it only has to be the same in every transaction (the migrator's is 7361044213).
     and pg_try_advisory_xact_lock(7361044214) then
    perform case_rollups_compact();
  end if;
end $$;

-- A new case is eligible if an opener is known, and not yet resolved at first contact:
-- its timeline is written after it, and counted by the case_events triggers (even when
-- one statement writes both, whichever trigger runs first).
create function cases_rollup_inserted() returns trigger
language plpgsql as $$
begin
  perform case_rollups_add(array(
    select row(1, n.created_at, n.channel, n.category_id, n.office_id, n.merged_into_id is not null,
               n.status, n.assignee_id, n.resolution_due_at, n.resolved_at,
               n.first_response_due_at, n.first_responded_at, n.created_by, false)::case_rollup_change
      from new_rows n));
  return null;
end $$;

-- First contact is taken off before the row goes (cases_first_contact_deleting): by the
-- time a statement-level trigger runs, the case's timeline has been deleted with it.
create function cases_rollup_deleted() returns trigger
language plpgsql as $$
begin
  perform case_rollups_add(array(
    select row(-1, o.created_at, o.channel, o.category_id, o.office_id, o.merged_into_id is not null,
               o.status, o.assignee_id, o.resolution_due_at, o.resolved_at,
               o.first_response_due_at, o.first_responded_at, o.created_by, null)::case_rollup_change
      from old_rows o));
  return null;
end $$;

create function cases_first_contact_deleting() returns trigger
language plpgsql as $$
begin
  if old.created_by is not null and old.merged_into_id is null then
    insert into case_first_contact_days (day, created_by, eligible, resolved)
    values ((old.created_at at time zone 'Europe/Rome')::date, old.created_by, -1,
            case when case_first_contact(old.created_at, old.created_by,
                                         array(select e from case_events e where e.case_id = old.id))
                 then -1 else 0 end);
  end if;
  return old;
end $$;

create function cases_rollup_updated() returns trigger
language plpgsql as $$
begin
  -- Only rows whose rolled-up columns changed: most updates (a note's updated_at, a
  -- priority, the SLA pass's warn times) touch none and cost one join of their own rows.
  -- First contact is judged again, old case against new, only when the opening (time,
  -- opener) or the merge changed; otherwise it is left out (null) on both sides.
  perform case_rollups_add(array(
    select ch.change
      from old_rows o
      join new_rows n on n.id = o.id
      cross join lateral (select
        (o.created_at, o.created_by, o.merged_into_id is not null)
          is distinct from (n.created_at, n.created_by, n.merged_into_id is not null) as rejudge) r
      cross join lateral (select case when r.rejudge then array(select e from case_events e where e.case_id = n.id) end
                            as events) t
      cross join lateral (values
        (row(-1, o.created_at, o.channel, o.category_id, o.office_id, o.merged_into_id is not null,
             o.status, o.assignee_id, o.resolution_due_at, o.resolved_at,
             o.first_response_due_at, o.first_responded_at, o.created_by,
             case when r.rejudge then case_first_contact(o.created_at, o.created_by, t.events) end)::case_rollup_change),
        (row(1, n.created_at, n.channel, n.category_id, n.office_id, n.merged_into_id is not null,
             n.status, n.assignee_id, n.resolution_due_at, n.resolved_at,
             n.first_response_due_at, n.first_responded_at, n.created_by,
             case when r.rejudge then case_first_contact(n.created_at, n.created_by, t.events) end)::case_rollup_change)
      ) ch (change)
     where (o.created_at, o.channel, o.category_id, o.office_id, o.merged_into_id is not null, o.status,
            o.assignee_id, o.resolution_due_at, o.resolved_at, o.first_response_due_at, o.first_responded_at,
            o.created_by)
           is distinct from
           (n.created_at, n.channel, n.category_id, n.office_id, n.merged_into_id is not null, n.status,
            n.assignee_id, n.resolution_due_at, n.resolved_at, n.first_response_due_at, n.first_responded_at,
            n.created_by)));
  return null;
end $$;

-- A timeline changed: first contact judged again for each case it belongs to, before
-- (without the rows added, with the rows removed) and after. The cases' rows are locked
-- first, in id order, so two transactions writing one case's timeline take turns and the
-- second judges "before" with the first one's events: without that, each would count the
-- change from the same "before" and the sum could be wrong (a resolution and a reopening
-- written at once). The application writes a timeline with its case locked anyway.
create function case_first_contact_recount(case_ids bigint[], added bigint[], removed case_events[]) returns void
language plpgsql as $$
begin
  if cardinality(case_ids) = 0 then
    return;
  end if;
  perform 1 from cases where id = any(case_ids) order by id for no key update;
  insert into case_first_contact_days (day, created_by, eligible, resolved)
  select day, created_by, 0, resolved
    from (
      select (c.created_at at time zone 'Europe/Rome')::date as day, c.created_by,
             sum((case when j.now then 1 else 0 end) - (case when j.before then 1 else 0 end)) as resolved
        from cases c
        cross join lateral (select
          case_first_contact(c.created_at, c.created_by,
            array(select e from case_events e where e.case_id = c.id)) as now,
          case_first_contact(c.created_at, c.created_by,
            array(select e from case_events e where e.case_id = c.id and e.id <> all (added)
                  union all
                  select r from unnest(removed) r where r.case_id = c.id)) as before) j
       where c.id = any (case_ids) and c.merged_into_id is null and c.created_by is not null
       group by 1, 2
    ) g
   where resolved <> 0;
  if nextval('case_rollup_statements') % 500 = 0
     and current_setting('transaction_isolation') = 'read committed'
     and pg_try_advisory_xact_lock(7361044214) then
    perform case_rollups_compact();
  end if;
end $$;

create function case_events_rollup_inserted() returns trigger
language plpgsql as $$
begin
  perform case_first_contact_recount(
    array(select distinct case_id from new_rows), array(select id from new_rows), '{}'::case_events[]);
  return null;
end $$;

create function case_events_rollup_updated() returns trigger
language plpgsql as $$
begin
  perform case_first_contact_recount(
    array(select case_id from new_rows union select case_id from old_rows),
    array(select id from new_rows), array(select o::case_events from old_rows o));
  return null;
end $$;

-- Without a timeline no case was resolved at first contact.
create function case_events_rollup_truncated() returns trigger
language plpgsql as $$
begin
  insert into case_first_contact_days (day, created_by, eligible, resolved)
  select day, created_by, 0, -sum(resolved) from case_first_contact_days
   group by 1, 2 having sum(resolved) <> 0;
  return null;
end $$;

create function case_events_rollup_deleted() returns trigger
language plpgsql as $$
begin
  perform case_first_contact_recount(array(select distinct case_id from old_rows), '{}'::bigint[], array(select o::case_events from old_rows o));
  return null;
end $$;

create function cases_rollup_truncated() returns trigger
language plpgsql as $$
begin
  delete from case_volume_days;
  delete from case_deadline_days;
  delete from case_backlog_days;
  delete from case_first_contact_days;
  return null;
end $$;

-- Backfill and triggers under one lock that lets readers in and keeps writers out, so no
-- case is written between the backfill and the trigger that would have counted it.
lock table cases, case_events in share mode;

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
                 c.first_response_due_at, c.first_responded_at, c.created_by,
                 c.created_by is not null
                 and case_first_contact(c.created_at, c.created_by,
                                        array(select e from case_events e where e.case_id = c.id)))::case_rollup_change
        from cases c
       where c.id >= lo and c.id < lo + 50000));
    lo := lo + 50000;
  end loop;
  perform case_rollups_compact();
end $$;

create trigger cases_rollup_inserted after insert on cases
  referencing new table as new_rows for each statement execute function cases_rollup_inserted();
create trigger cases_rollup_updated after update on cases
  referencing old table as old_rows new table as new_rows for each statement execute function cases_rollup_updated();
create trigger cases_rollup_deleted after delete on cases
  referencing old table as old_rows for each statement execute function cases_rollup_deleted();
create trigger cases_rollup_truncated after truncate on cases
  for each statement execute function cases_rollup_truncated();
create trigger cases_first_contact_deleting before delete on cases
  for each row execute function cases_first_contact_deleting();
create trigger case_events_rollup_inserted after insert on case_events
  referencing new table as new_rows for each statement execute function case_events_rollup_inserted();
create trigger case_events_rollup_updated after update on case_events
  referencing old table as old_rows new table as new_rows for each statement execute function case_events_rollup_updated();
create trigger case_events_rollup_deleted after delete on case_events
  referencing old table as old_rows for each statement execute function case_events_rollup_deleted();
create trigger case_events_rollup_truncated after truncate on case_events
  for each statement execute function case_events_rollup_truncated();

analyze case_volume_days;
analyze case_deadline_days;
analyze case_backlog_days;
analyze case_first_contact_days;
