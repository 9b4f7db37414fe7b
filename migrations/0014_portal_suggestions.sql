-- The suggestions board sorted by votes ("top"): a keyset page is an index range. Merged
-- duplicates never show on the board, so they are left out of the index.
create index items_board_top_idx on items (workspace_id, vote_count desc, id desc)
  where board_status is not null and merged_into_id is null;
