-- People extras: custom field definitions, saved views, notes history, photos, and the
-- indexes behind the list filters (has email/phone, last contacted, custom fields).

create table custom_field_definitions (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  entity text not null check (entity in ('person', 'organization')),
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,49}$'),
  label text not null check (length(label) between 1 and 100),
  type text not null check (type in ('text', 'number', 'date', 'select', 'multiselect', 'checkbox', 'url')),
  options jsonb not null default '[]',
  position integer not null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index custom_field_definitions_key on custom_field_definitions (workspace_id, entity, key);
create index custom_field_definitions_position_idx
  on custom_field_definitions (workspace_id, entity, position, id);

create table saved_views (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  owner_id uuid not null references users(id) on delete cascade,
  entity text not null check (entity in ('person', 'organization')),
  name text not null check (length(name) between 1 and 100),
  shared boolean not null default false,
  query jsonb not null default '{}',
  columns jsonb not null default '[]',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index saved_views_owner_idx on saved_views (workspace_id, entity, owner_id, id);
create index saved_views_shared_idx on saved_views (workspace_id, entity, id) where shared;

-- Every text a person's notes ever had, newest first. Filled by a trigger so that every writer
-- (API, import, merge, bulk) is covered; the author comes from the transaction-local setting
-- rapport.user_id (set by the writer; null when unknown).
create table person_notes_history (
  id bigint generated always as identity primary key, -- increasing: the keyset of the history
  workspace_id uuid not null references workspaces(id),
  person_id uuid not null references people(id) on delete cascade,
  notes text,
  author_id uuid references users(id) on delete set null,
  created_at timestamptz not null default clock_timestamp()
);
create index person_notes_history_person_idx
  on person_notes_history (workspace_id, person_id, id desc);

create function record_person_notes() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' and new.notes is null then
    return new;
  end if;
  insert into person_notes_history (workspace_id, person_id, notes, author_id)
  values (new.workspace_id, new.id, new.notes,
    nullif(current_setting('rapport.user_id', true), '')::uuid);
  return new;
end
$$;
create trigger people_notes_history_insert after insert on people
  for each row execute function record_person_notes();
create trigger people_notes_history_update after update of notes on people
  for each row when (old.notes is distinct from new.notes) execute function record_person_notes();

-- Photos live in the database so that app nodes stay stateless; people.photo_version is null
-- when there is no photo and goes into the photo URL, so browsers can cache it forever.
create table person_photos (
  person_id uuid primary key references people(id) on delete cascade,
  workspace_id uuid not null references workspaces(id),
  image bytea not null,
  thumbnail bytea not null,
  updated_at timestamptz not null default now()
);
alter table people add column photo_version integer;

-- List filters. Each one is served by an index that also ends in the keyset (sort key, id).
create index people_has_email_idx on people (workspace_id, (cardinality(email_keys) > 0), sort_name, id)
  where deleted_at is null;
create index people_has_phone_idx on people (workspace_id, (cardinality(phone_keys) > 0), sort_name, id)
  where deleted_at is null;
-- Never contacted sorts as -infinity: first when sorting by "longest since contact".
create index people_last_contacted_idx
  on people (workspace_id, (coalesce(last_contacted_at, '-infinity'::timestamptz)), id)
  where deleted_at is null;
-- The planner ignores the statistics of partial expression indexes: these give it the real
-- selectivity of the expressions, so that a selective filter walks its own index.
create statistics people_has_email_stats on (cardinality(email_keys) > 0) from people;
create statistics people_has_phone_stats on (cardinality(phone_keys) > 0) from people;
create statistics people_last_contacted_stats on (coalesce(last_contacted_at, '-infinity'::timestamptz)) from people;
create index people_custom_fields_idx on people using gin (custom_fields jsonb_path_ops)
  where deleted_at is null;
create index organizations_custom_fields_idx on organizations using gin (custom_fields jsonb_path_ops)
  where deleted_at is null;
