-- Metrics (issue 7, performance): per-day rollups of the standard metrics (ratio, count,
-- percentile), built on demand from `metric_item_facts` and kept fresh through a dirty-day queue.
-- src/features/metrics/day-rollup.ts builds and reads them; tests/api/metrics-day-rollup.test.ts
-- proves that every answer equals the raw computation.

-- One row per workspace, time zone, metric (name and a hash of its SQL), local day, dimension
-- ('' = every item, or kind, channel, priority, category, team, owner) and dimension value:
-- the day's numerator and denominator counts, or for a percentile the day's values.
create table metric_day_rollup (
  workspace_id uuid not null,
  time_zone text not null,
  metric text not null,
  dimension text not null,
  value text not null,
  day date not null,
  num integer not null,
  den integer not null,
  vals float8[],
  primary key (workspace_id, metric, time_zone, dimension, value, day)
);
create index metric_day_rollup_day_idx on metric_day_rollup (workspace_id, day);

-- The days built for a metric and zone, empty ones included (so they are not computed again).
create table metric_day_built (
  workspace_id uuid not null,
  time_zone text not null,
  metric text not null,
  day date not null,
  primary key (workspace_id, metric, time_zone, day)
);
create index metric_day_built_day_idx on metric_day_built (workspace_id, day);

-- Days touched by a change of the facts, as UTC dates of every timestamp of the old and new rows
-- (a local day is within a day of the UTC date). The next rollup read consumes them and drops the
-- rollups of those days ±1, for every metric and zone.
-- No key: a reader deletes the rows it sees; rows committed meanwhile stay queued.
create table metric_day_dirty (
  workspace_id uuid not null,
  day date not null
);
create index metric_day_dirty_workspace_idx on metric_day_dirty (workspace_id);

create function metric_day_dirty_insert() returns trigger language plpgsql as $$
begin
  insert into metric_day_dirty (workspace_id, day)
  select distinct workspace_id, (t at time zone 'UTC')::date
  from new_facts, unnest(array[created_at, escalated_at, first_response_due_at, resolution_due_at,
    first_responded_at, first_response_breached_at, resolution_breached_at, resolved_at, informed_at,
    thanked_at, closed_at]) t
  where t is not null;
  return null;
end $$;

create function metric_day_dirty_delete() returns trigger language plpgsql as $$
begin
  insert into metric_day_dirty (workspace_id, day)
  select distinct workspace_id, (t at time zone 'UTC')::date
  from old_facts, unnest(array[created_at, escalated_at, first_response_due_at, resolution_due_at,
    first_responded_at, first_response_breached_at, resolution_breached_at, resolved_at, informed_at,
    thanked_at, closed_at]) t
  where t is not null;
  return null;
end $$;

create function metric_day_dirty_update() returns trigger language plpgsql as $$
begin
  insert into metric_day_dirty (workspace_id, day)
  select distinct workspace_id, (t at time zone 'UTC')::date
  from (select * from old_facts union all select * from new_facts) f,
    unnest(array[created_at, escalated_at, first_response_due_at, resolution_due_at,
    first_responded_at, first_response_breached_at, resolution_breached_at, resolved_at, informed_at,
    thanked_at, closed_at]) t
  where t is not null;
  return null;
end $$;

-- Statement triggers (a transition table cannot serve several events): one insert per statement.
create trigger metric_facts_day_dirty_insert after insert on metric_item_facts
  referencing new table as new_facts for each statement execute function metric_day_dirty_insert();
create trigger metric_facts_day_dirty_update after update on metric_item_facts
  referencing old table as old_facts new table as new_facts
  for each statement execute function metric_day_dirty_update();
create trigger metric_facts_day_dirty_delete after delete on metric_item_facts
  referencing old table as old_facts for each statement execute function metric_day_dirty_delete();

create function metric_day_rollup_truncate() returns trigger language plpgsql as $$
begin
  delete from metric_day_rollup;
  delete from metric_day_built;
  return null;
end $$;
create trigger metric_facts_day_rollup_truncate after truncate on metric_item_facts
  for each statement execute function metric_day_rollup_truncate();
