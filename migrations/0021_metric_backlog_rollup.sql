-- Metrics (issue 7, performance): the backlog metrics read day rollups (src/features/metrics/
-- snapshot-rollup.ts); a snapshot taken now adds the day's breaches so far from the facts. Breach
-- stamps are written close to the item's creation, in table order like the other anchors: block
-- ranges find the day's few at almost no write cost.
create index metric_item_facts_breaches_brin on metric_item_facts using brin
  (first_response_breached_at, resolution_breached_at);
