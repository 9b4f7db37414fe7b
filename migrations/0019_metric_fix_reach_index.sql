-- Problem fix reach (issue 7) counts the 'informed' events a problem fix wrote. Without this index
-- it read every 'informed' event of the period to look at its data (706,000 rows for a year of
-- 1M items, none of them from a fix); fix events are few, so the partial index is small and
-- costs other event writes nothing.
create index if not exists item_events_fix_informed_idx on item_events (workspace_id, created_at)
  where type = 'informed' and (data ->> 'problemId') is not null;
