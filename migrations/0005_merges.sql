-- Duplicates and merges.
-- A merged person is soft-deleted with `merged_into` naming the survivor. `merges` keeps both
-- people rows exactly as they were (jsonb snapshots) and every reference row it moved or
-- deleted, so that undo puts everything back. The person ids in these tables carry no foreign
-- key on purpose: the purge job removes people deleted 30 days ago, and the merge record stays.

alter table people add column merged_into uuid;

create table merges (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  survivor_id uuid not null,
  merged_id uuid not null,
  survivor_name text not null,
  merged_name text not null,
  -- Both rows of `people` before the merge (to_jsonb of the row, generated columns left out).
  survivor_before jsonb not null,
  merged_before jsonb not null,
  -- The versions the merge left; undo refuses when either person changed since.
  survivor_version integer not null,
  merged_version integer not null,
  fields jsonb not null default '{}',
  -- Reference rows moved to the survivor or deleted (see src/features/merges/references.ts).
  moved jsonb not null default '{}',
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  undone_at timestamptz,
  undone_by uuid references users(id) on delete set null
);
create index merges_recent_idx on merges (workspace_id, id desc);
create index merges_survivor_idx on merges (workspace_id, survivor_id);
create index merges_merged_idx on merges (workspace_id, merged_id);

-- Pairs a user said are not duplicates; person_a is the smaller id.
create table duplicate_dismissals (
  workspace_id uuid not null references workspaces(id),
  person_a uuid not null,
  person_b uuid not null,
  dismissed_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, person_a, person_b),
  check (person_a < person_b)
);

-- Likely duplicates, kept up to date from the people queued by triggers (below), so that
-- listing them is one index scan whatever the size of the workspace. A changed person costs
-- three index probes, paid in the background, set-based per batch.
-- Score = 1 − Π(1 − signal): shared email 0.7, shared phone 0.6, similar name (trigram
-- similarity ≥ 0.5) 0.6 × similarity, same organization 0.2.
create table duplicate_candidates (
  workspace_id uuid not null references workspaces(id),
  person_a uuid not null references people(id) on delete cascade,
  person_b uuid not null references people(id) on delete cascade,
  score numeric(4, 3) not null,
  primary key (person_a, person_b),
  check (person_a < person_b)
);
create index duplicate_candidates_score_idx
  on duplicate_candidates (workspace_id, score desc, person_a, person_b);
create index duplicate_candidates_b_idx on duplicate_candidates (person_b);

-- Keys (emails or phones) of a person that at most 50 live people share: a key shared by more
-- is a role address or a switchboard (info@, a reception desk) and says nothing.
-- `set enable_seqscan = off` on these functions: PostgreSQL keeps no statistics on single
-- array elements, guesses that 0.5% of people share a key and, with the LIMIT, prefers reading
-- the table (1.8 s on 1M people) to the GIN index (a few ms).
create function duplicate_significant_emails(ws uuid, keys text[]) returns text[]
language sql stable set enable_seqscan = off as $$
  select coalesce(array_agg(k), '{}') from unnest(keys) k
  where (select count(*) from (
           select 1 from people x
           where x.email_keys @> array[k] and x.workspace_id = ws and x.deleted_at is null
           limit 51) c) <= 50
$$;
create function duplicate_significant_phones(ws uuid, keys text[]) returns text[]
language sql stable set enable_seqscan = off as $$
  select coalesce(array_agg(k), '{}') from unnest(keys) k
  where (select count(*) from (
           select 1 from people x
           where x.phone_keys @> array[k] and x.workspace_id = ws and x.deleted_at is null
           limit 51) c) <= 50
$$;

-- Bounded work per changed person: at most 50 candidates per signal, each found through an
-- index (GIN on email_keys / phone_keys; people_duplicate_name_idx for names: same
-- organization and same first letter, then trigram similarity). A role address shared by many
-- yields at most 50 pairs per member; the list leaves those out (duplicate_significant_emails/phones).
create index people_duplicate_name_idx on people (workspace_id, organization_id, left(search_name, 1))
  where deleted_at is null and organization_id is not null;

-- plpgsql keeps the plans of its statements; the ids are joined (not `= any`), so a batch of
-- n people costs n index lookups.
create function duplicate_candidates_for(ids uuid[]) returns void language plpgsql
set enable_seqscan = off as $$
begin
  delete from duplicate_candidates d using unnest(ids) t(id) where d.person_a = t.id;
  delete from duplicate_candidates d using unnest(ids) t(id) where d.person_b = t.id;
  insert into duplicate_candidates (workspace_id, person_a, person_b, score)
  select p.workspace_id, least(p.id, b.id), greatest(p.id, b.id),
    round(cast(1 - (case when p.email_keys && b.email_keys then 0.3 else 1 end)
      * (case when p.phone_keys && b.phone_keys then 0.4 else 1 end)
      * (case when similarity(p.search_name, b.search_name) >= 0.5
              then 1 - 0.6 * similarity(p.search_name, b.search_name) else 1 end)
      * (case when p.organization_id = b.organization_id then 0.8 else 1 end) as numeric), 3)
  from unnest(ids) t(id)
  join people p on p.id = t.id
  cross join lateral (
    (select x.id from people x
     where cardinality(p.email_keys) > 0 and x.email_keys && p.email_keys
       and x.workspace_id = p.workspace_id and x.deleted_at is null and x.id <> p.id
     limit 50)
    union
    (select x.id from people x
     where cardinality(p.phone_keys) > 0 and x.phone_keys && p.phone_keys
       and x.workspace_id = p.workspace_id and x.deleted_at is null and x.id <> p.id
     limit 50)
    union
    (select x.id from people x
     where p.organization_id is not null and x.workspace_id = p.workspace_id
       and x.organization_id = p.organization_id and left(x.search_name, 1) = left(p.search_name, 1)
       and x.deleted_at is null and x.id <> p.id and similarity(x.search_name, p.search_name) >= 0.5
     limit 50)
  ) found
  join people b on b.id = found.id
  where p.deleted_at is null
  on conflict do nothing;
end $$;

-- The triggers only note which people changed (one small insert per person); the job
-- `duplicates.refresh` and every read of the duplicates list work the queue off through
-- duplicate_queue_drain. Comparing each new person at write time made a 1,000-row import
-- batch ten times slower.
create table duplicate_queue (
  person_id uuid primary key,
  workspace_id uuid not null,
  queued_at timestamptz not null default clock_timestamp()
);
create index duplicate_queue_order_idx on duplicate_queue (workspace_id, queued_at);
create index duplicate_queue_any_idx on duplicate_queue (queued_at);

-- Takes up to `max` queued people (of workspace `ws`, or of any workspace when null), computes
-- their candidates and returns how many it took. Concurrent drains skip each other's rows.
create function duplicate_queue_drain(ws uuid, max integer) returns integer language plpgsql as $$
declare
  taken uuid[];
begin
  with picked as (
    select q.person_id from duplicate_queue q
    where ws is null or q.workspace_id = ws
    order by q.queued_at
    limit max
    for update skip locked
  ), removed as (
    delete from duplicate_queue q using picked where q.person_id = picked.person_id
    returning q.person_id
  )
  select coalesce(array_agg(person_id), '{}') into taken from removed;
  if cardinality(taken) > 0 then
    perform duplicate_candidates_for(taken);
  end if;
  return cardinality(taken);
end $$;

create function people_duplicates_inserted() returns trigger language plpgsql as $$
begin
  insert into duplicate_queue (person_id, workspace_id)
  select id, workspace_id from new_rows
  on conflict (person_id) do nothing;
  return null;
end $$;

create function people_duplicates_updated() returns trigger language plpgsql as $$
begin
  insert into duplicate_queue (person_id, workspace_id)
  select n.id, n.workspace_id from new_rows n join old_rows o on o.id = n.id
  where n.email_keys is distinct from o.email_keys or n.phone_keys is distinct from o.phone_keys
     or n.search_name is distinct from o.search_name or n.organization_id is distinct from o.organization_id
     or (n.deleted_at is null) <> (o.deleted_at is null)
  on conflict (person_id) do nothing;
  return null;
end $$;

create trigger people_duplicates_insert after insert on people
  referencing new table as new_rows
  for each statement execute function people_duplicates_inserted();
create trigger people_duplicates_update after update on people
  referencing old table as old_rows new table as new_rows
  for each statement execute function people_duplicates_updated();

insert into duplicate_queue (person_id, workspace_id)
select id, workspace_id from people where deleted_at is null;
