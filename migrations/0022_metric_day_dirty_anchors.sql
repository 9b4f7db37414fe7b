-- Metrics (issue 7, performance): the dirty-day queue says which timestamp column ("anchor") each
-- queued day is of, and an update queues only the rows it changed. A standard metric counts an
-- item in the day of its anchor (e.g. resolved_at), so a change of the item alters that metric on
-- the old and new anchor days only: resolving an item created a year ago dirties today for the
-- resolution metrics and the creation day for the creation metrics, not every date of the item
-- for every metric. src/features/metrics/day-rollup.ts consumes the queue.
--
-- '*' (the default, so days queued before this migration and days built before it) stands for
-- every anchor: the backlog (snapshot) rollups, which depend on several timestamps, are built as '*'.
alter table metric_day_dirty add column anchor text not null default '*';
alter table metric_day_built add column anchor text not null default '*';

create function metric_day_dirty_days(f metric_item_facts)
returns table (workspace_id uuid, day date, anchor text) language sql stable as $$
  select f.workspace_id, (t.at at time zone 'UTC')::date, t.anchor
  from (values ('created_at', f.created_at), ('escalated_at', f.escalated_at),
    ('first_response_due_at', f.first_response_due_at), ('resolution_due_at', f.resolution_due_at),
    ('first_responded_at', f.first_responded_at), ('first_response_breached_at', f.first_response_breached_at),
    ('resolution_breached_at', f.resolution_breached_at), ('resolved_at', f.resolved_at),
    ('informed_at', f.informed_at), ('thanked_at', f.thanked_at), ('closed_at', f.closed_at)) t(anchor, at)
  where t.at is not null
$$;

create or replace function metric_day_dirty_insert() returns trigger language plpgsql as $$
begin
  insert into metric_day_dirty (workspace_id, day, anchor)
  select distinct d.workspace_id, d.day, d.anchor
  from new_facts f, metric_day_dirty_days(f) d;
  return null;
end $$;

create or replace function metric_day_dirty_delete() returns trigger language plpgsql as $$
begin
  insert into metric_day_dirty (workspace_id, day, anchor)
  select distinct d.workspace_id, d.day, d.anchor
  from old_facts f, metric_day_dirty_days(f) d;
  return null;
end $$;

-- Only the rows the statement changed (the facts mirror every item update, most of which change
-- no fact), each with its old and its new days.
create or replace function metric_day_dirty_update() returns trigger language plpgsql as $$
begin
  insert into metric_day_dirty (workspace_id, day, anchor)
  select distinct d.workspace_id, d.day, d.anchor
  from old_facts o full join new_facts n on n.id = o.id
    cross join lateral (select * from metric_day_dirty_days(o) union all select * from metric_day_dirty_days(n)) d
  where o is distinct from n and d.workspace_id is not null;
  return null;
end $$;
