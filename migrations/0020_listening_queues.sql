-- Queue views at 1M items (issue 5, performance). The unowned queue filtered by status scanned
-- every unowned open item to find none in a status nobody unowned is in (190–270 ms with 63,000
-- unowned items); this is its index with the status in front, the predicate of items_unowned_idx
-- word for word. Only unowned open items are in it, so a take or an assignment leaves it.
create index items_unowned_status_idx on items (workspace_id, status, id desc)
  where owner_id is null and status not in ('resolved', 'closed');
