-- Wake the realtime feed (workers/src, core/src/realtime/feed.ts) as soon as timeline
-- events or staff notifications are committed, instead of at its next poll. One
-- notification per statement: the feed reads everything new by id anyway.

create function realtime_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('realtime', tg_table_name);
  return null;
end $$;

create trigger case_events_realtime after insert on case_events
  for each statement execute function realtime_notify();
create trigger staff_notifications_realtime after insert on staff_notifications
  for each statement execute function realtime_notify();
