-- The problems list without a status filter reads (workspace_id, id desc); who voted for an
-- item is a keyset page over (item_id, id desc).
create index problems_recent_idx on problems (workspace_id, id desc);
create index item_votes_item_idx on item_votes (item_id, id desc);
