-- Metrics (issue 7, performance): a backlog snapshot taken now adds the items whose start or end
-- falls between local midnight and now (src/features/metrics/snapshot-rollup.ts). Block ranges
-- do not find them: items created over the last weeks are resolved, closed or breached today,
-- so most recent ranges match (17% of the 1M-item table for none). Partial indexes of the stamped
-- rows find the day's few; a write pays one index entry when it stamps the column.
drop index if exists metric_item_facts_breaches_brin;
create index metric_item_facts_resolved_idx on metric_item_facts (resolved_at) where resolved_at is not null;
create index metric_item_facts_closed_idx on metric_item_facts (closed_at) where closed_at is not null;
create index metric_item_facts_first_response_breached_idx on metric_item_facts (first_response_breached_at)
  where first_response_breached_at is not null;
create index metric_item_facts_resolution_breached_idx on metric_item_facts (resolution_breached_at)
  where resolution_breached_at is not null;
