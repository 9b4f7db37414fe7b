-- Listening at scale (issue 5, performance): how many items carry each observed value, per
-- category and kind, so that the problem compare panel reads a few hundred counts instead of
-- aggregating every observation of the comparable items.
--
-- Writers never touch a shared counter: triggers append signed deltas to
-- observation_count_deltas (no row another transaction could be updating, so item creation does
-- not queue behind a hot "flavour = vanilla" row), and the reader folds them into
-- observation_counts now and then (problems/compare-counts.ts). The count of a value is the sum
-- of its observation_counts row and its deltas. An item counts once per value it recorded
-- (observations.ts never stores the same value twice for an item).

create table observation_counts (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  category_id uuid,
  kind text not null,
  key text not null,
  value_key text not null,
  items integer not null
);
create unique index observation_counts_key on observation_counts
  (workspace_id, category_id, kind, key, value_key) nulls not distinct;

create table observation_count_deltas (
  workspace_id uuid not null,
  category_id uuid,
  kind text not null,
  key text not null,
  value_key text not null,
  delta integer not null
);
create index observation_count_deltas_scope_idx on observation_count_deltas (workspace_id, category_id);

-- Observations added, removed or changed: the item's current category and kind. Once per
-- statement, so a COPY or a multi-row insert costs one insert here.
create function observation_counts_added() returns trigger language plpgsql as $$
begin
  insert into observation_count_deltas (workspace_id, category_id, kind, key, value_key, delta)
  select o.workspace_id, i.category_id, i.kind, o.key, o.value_key, count(*)
  from observation_rows o join items i on i.id = o.item_id
  group by 1, 2, 3, 4, 5;
  return null;
end $$;
create trigger item_observations_counts_insert after insert on item_observations
  referencing new table as observation_rows for each statement execute function observation_counts_added();

-- Removed with their item (a cascade): the item is gone by now, and items_observation_counts_delete
-- has already taken its observations off.
create function observation_counts_removed() returns trigger language plpgsql as $$
begin
  insert into observation_count_deltas (workspace_id, category_id, kind, key, value_key, delta)
  select o.workspace_id, i.category_id, i.kind, o.key, o.value_key, -count(*)
  from observation_rows o join items i on i.id = o.item_id
  group by 1, 2, 3, 4, 5;
  return null;
end $$;
create trigger item_observations_counts_delete after delete on item_observations
  referencing old table as observation_rows for each statement execute function observation_counts_removed();

create function observation_counts_changed() returns trigger language plpgsql as $$
begin
  insert into observation_count_deltas (workspace_id, category_id, kind, key, value_key, delta)
  select o.workspace_id, i.category_id, i.kind, o.key, o.value_key, -count(*)
  from old_rows o join items i on i.id = o.item_id
  group by 1, 2, 3, 4, 5
  union all
  select o.workspace_id, i.category_id, i.kind, o.key, o.value_key, count(*)
  from new_rows o join items i on i.id = o.item_id
  group by 1, 2, 3, 4, 5;
  return null;
end $$;
create trigger item_observations_counts_update after update on item_observations
  referencing old table as old_rows new table as new_rows
  for each statement execute function observation_counts_changed();

-- An item moved to another category or kind takes its observations along. Per row, and only when
-- an UPDATE names those columns and changes them: the many other updates of items cost nothing.
create function observation_counts_item_moved() returns trigger language plpgsql as $$
begin
  insert into observation_count_deltas (workspace_id, category_id, kind, key, value_key, delta)
  select old.workspace_id, old.category_id, old.kind, o.key, o.value_key, -count(*)
  from item_observations o where o.item_id = old.id group by o.key, o.value_key
  union all
  select new.workspace_id, new.category_id, new.kind, o.key, o.value_key, count(*)
  from item_observations o where o.item_id = new.id group by o.key, o.value_key;
  return null;
end $$;
create trigger items_observation_counts_update after update of category_id, kind, workspace_id on items
  for each row when (old.category_id is distinct from new.category_id or old.kind is distinct from new.kind
    or old.workspace_id is distinct from new.workspace_id)
  execute function observation_counts_item_moved();

create function observation_counts_item_deleted() returns trigger language plpgsql as $$
begin
  insert into observation_count_deltas (workspace_id, category_id, kind, key, value_key, delta)
  select old.workspace_id, old.category_id, old.kind, o.key, o.value_key, -count(*)
  from item_observations o where o.item_id = old.id group by o.key, o.value_key;
  return old;
end $$;
create trigger items_observation_counts_delete before delete on items
  for each row execute function observation_counts_item_deleted();

-- The observations recorded so far.
insert into observation_counts (workspace_id, category_id, kind, key, value_key, items)
select o.workspace_id, i.category_id, i.kind, o.key, o.value_key, count(*)
from item_observations o join items i on i.id = o.item_id
group by 1, 2, 3, 4, 5;
