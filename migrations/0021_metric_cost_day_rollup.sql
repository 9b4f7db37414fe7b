-- Metrics (issue 7, performance): the cost metrics read a day rollup of what they price
-- (src/features/metrics/cost-rollup.ts): per workspace, time zone, local creation day, dimension
-- ('' = every item, or kind, channel, priority, category, team, owner), value and item channel,
-- the items, how many have recorded handling minutes and their sum. Prices are applied when read,
-- with the cost settings in force on each day, so a change of the settings needs no rebuild.
-- Days are recorded in metric_day_built and dropped with the other rollups by the dirty queue.
create table metric_day_cost (
  workspace_id uuid not null,
  time_zone text not null,
  dimension text not null,
  value text not null,
  day date not null,
  channel text not null,
  items integer not null,
  recorded integer not null,
  recorded_minutes bigint not null,
  primary key (workspace_id, time_zone, dimension, value, day, channel)
);
create index metric_day_cost_day_idx on metric_day_cost (workspace_id, day);

create or replace function metric_day_rollup_truncate() returns trigger language plpgsql as $$
begin
  delete from metric_day_rollup;
  delete from metric_day_cost;
  delete from metric_day_built;
  return null;
end $$;
