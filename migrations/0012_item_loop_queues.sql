-- "Mine" and "my team's" keep resolved items until their loop is closed (informed, thanked,
-- closed): an item that drops out of its owner's queue once resolved would never be thanked.
create index items_owner_unclosed_idx on items (workspace_id, owner_id, id desc) where status <> 'closed';
create index items_team_unclosed_idx on items (workspace_id, team_id, id desc)
  where team_id is not null and status <> 'closed';
