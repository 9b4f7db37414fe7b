-- Metrics (issue 7, performance): partial indexes of the stamps that standard metrics are
-- bucketed by and only block ranges served: first response (the first-response times) and the two
-- due times (the SLA compliances). Rebuilding a few days of those rollups after writes
-- (src/features/metrics/day-rollup.ts) read every row of the matching block ranges, ~160,000 rows
-- for a day's ~2,400 on a 1M-item register (items created over weeks get their first response or
-- fall due the same day); these find the day's rows. A write pays one index entry per stamp it sets.
create index metric_item_facts_first_responded_idx on metric_item_facts (first_responded_at)
  where first_responded_at is not null;
create index metric_item_facts_first_response_due_idx on metric_item_facts (first_response_due_at)
  where first_response_due_at is not null;
create index metric_item_facts_resolution_due_idx on metric_item_facts (resolution_due_at)
  where resolution_due_at is not null;
