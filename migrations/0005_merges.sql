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
