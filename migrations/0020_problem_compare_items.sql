-- How many items each category and kind holds, so that the problem compare panel counts the
-- comparable items from a few rows instead of reading every item of the scope (100,000 items
-- took 100–600 ms on embedded PGlite, which runs no vacuum and so gets no index-only scans).
-- Same scheme as observation_counts (0019): writers append signed deltas, the compare folds
-- them now and then (problems/compare-counts.ts); an item count is its row plus its deltas.

create table item_scope_counts (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  category_id uuid,
  kind text not null,
  items integer not null
);
create unique index item_scope_counts_key on item_scope_counts (workspace_id, category_id, kind) nulls not distinct;

create table item_scope_count_deltas (
  workspace_id uuid not null,
  category_id uuid,
  kind text not null,
  delta integer not null
);
create index item_scope_count_deltas_scope_idx on item_scope_count_deltas (workspace_id, category_id);

-- Once per statement: a batch of created items (or a COPY) costs one small insert here.
create function item_scope_counts_added() returns trigger language plpgsql as $$
begin
  insert into item_scope_count_deltas (workspace_id, category_id, kind, delta)
  select workspace_id, category_id, kind, count(*) from added_items group by 1, 2, 3;
  return null;
end $$;
create trigger items_scope_counts_insert after insert on items
  referencing new table as added_items for each statement execute function item_scope_counts_added();

create function item_scope_counts_removed() returns trigger language plpgsql as $$
begin
  insert into item_scope_count_deltas (workspace_id, category_id, kind, delta)
  select workspace_id, category_id, kind, -count(*) from removed_items group by 1, 2, 3;
  return null;
end $$;
create trigger items_scope_counts_delete after delete on items
  referencing old table as removed_items for each statement execute function item_scope_counts_removed();

-- Per row (transition tables do not go with a column list), and only when an UPDATE names those
-- columns and changes them: the many other updates of items cost nothing.
create function item_scope_counts_moved() returns trigger language plpgsql as $$
begin
  insert into item_scope_count_deltas (workspace_id, category_id, kind, delta)
  values (old.workspace_id, old.category_id, old.kind, -1), (new.workspace_id, new.category_id, new.kind, 1);
  return null;
end $$;
create trigger items_scope_counts_update after update of category_id, kind, workspace_id on items
  for each row when (old.category_id is distinct from new.category_id or old.kind is distinct from new.kind
    or old.workspace_id is distinct from new.workspace_id)
  execute function item_scope_counts_moved();

-- The items so far.
insert into item_scope_counts (workspace_id, category_id, kind, items)
select workspace_id, category_id, kind, count(*) from items group by 1, 2, 3;
