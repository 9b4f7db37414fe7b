-- Queue pages with createdBefore far in the past (issue 5, performance). Pages are newest id
-- first, and an item's id (UUIDv7) carries the time it was made; created_at is that time too,
-- except for items imported or logged with an earlier date ("backdated"). For every other item,
-- created_at < X means its id is below the id of X plus a minute, so the page reads the id range
-- under that bound, plus the backdated items (this partial index; empty in a register without
-- imports), merged by id (src/features/items/queues.ts). The minute covers ids made just before
-- the transaction's created_at. The test is exact for any uuid: one that is not a v7 id simply
-- counts as backdated when its leading bits read as a later time.
-- PL/pgSQL, not SQL: a SQL function would be inlined, and the planner would then no longer
-- see that a query's item_backdated(id, created_at) is this index's predicate. The high cost
-- steers the planner to this index rather than a queue's index filtered by the function: it
-- cannot know that few items are backdated (a function's selectivity is taken as one in three).
create function item_backdated(id uuid, created_at timestamptz) returns boolean
  language plpgsql immutable parallel safe cost 10000
  as $$ begin
    return created_at < to_timestamp((('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint - 60000) / 1000.0);
  end $$;

create index items_backdated_idx on items (workspace_id, id desc) where item_backdated(id, created_at);
