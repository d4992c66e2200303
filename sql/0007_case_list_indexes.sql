-- Lists at a million cases. Sorting by priority means urgent first, not alphabetical: a rank column the
-- lists sort on, and an index in the order the operators' "most urgent first" view reads.
alter table cases
  add column priority_rank smallint generated always as (
    case priority when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 else 1 end
  ) stored;
drop index cases_priority_created_idx;
-- Within a priority, the oldest first (ids grow with time): a work queue's order.
create index cases_priority_rank_idx on cases (priority_rank, id);
create index cases_status_priority_rank_idx on cases (status, priority_rank, id);

-- An office's (or a queue's) cases in one status, newest first: the office view's main list.
create index cases_office_status_created_idx on cases (office_id, status, created_at desc, id desc);
create index cases_queue_status_created_idx on cases (queue_id, status, created_at desc, id desc);
