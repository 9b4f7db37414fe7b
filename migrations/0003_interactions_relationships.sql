-- Interactions (the timeline) and relationships (typed, directed links between parties).
-- interaction_people copies occurred_at so that a person's timeline is one index range scan.

create table interactions (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  type text not null
    check (type in ('call', 'meeting', 'email', 'message', 'visit', 'purchase', 'note')),
  channel text
    check (channel in ('phone', 'video', 'email', 'in_person', 'chat', 'sms', 'social', 'portal', 'other')),
  direction text check (direction in ('inbound', 'outbound')),
  occurred_at timestamptz not null,
  duration_minutes integer check (duration_minutes between 0 and 100000),
  summary text not null check (length(summary) <= 20000),
  outcome text check (length(outcome) <= 5000),
  organization_id uuid references organizations(id) on delete set null,
  created_by uuid references users(id) on delete set null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index interactions_occurred_idx on interactions (workspace_id, occurred_at desc, id desc)
  where deleted_at is null;
create index interactions_organization_idx on interactions (workspace_id, organization_id, occurred_at desc, id desc)
  where deleted_at is null and organization_id is not null;
create index interactions_deleted_idx on interactions (deleted_at) where deleted_at is not null;

create table interaction_people (
  workspace_id uuid not null references workspaces(id),
  interaction_id uuid not null references interactions(id) on delete cascade,
  -- People are purged (hard-deleted) 30 days after deletion: their participation goes with them.
  person_id uuid not null references people(id) on delete cascade,
  occurred_at timestamptz not null,
  primary key (interaction_id, person_id)
);
create index interaction_people_timeline_idx
  on interaction_people (workspace_id, person_id, occurred_at desc, interaction_id desc);

create table interaction_staff (
  workspace_id uuid not null references workspaces(id),
  interaction_id uuid not null references interactions(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  primary key (interaction_id, user_id)
);
create index interaction_staff_user_idx on interaction_staff (workspace_id, user_id);

-- "Gone quiet" by owner: never contacted sorts as -infinity, like people_last_contacted_idx (0006),
-- which serves the unfiltered list.
create index people_owner_quiet_idx
  on people (workspace_id, owner_id, (coalesce(last_contacted_at, '-infinity'::timestamptz)), id)
  where deleted_at is null;

create table relationship_types (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,49}$'),
  label text not null check (length(label) between 1 and 100),
  inverse_label text check (length(inverse_label) between 1 and 100),
  created_at timestamptz not null default now(),
  unique (workspace_id, key)
);

create table relationships (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  from_type text not null check (from_type in ('person', 'organization')),
  from_id uuid not null,
  to_type text not null check (to_type in ('person', 'organization')),
  to_id uuid not null,
  type text not null check (type ~ '^[a-z][a-z0-9_]{0,49}$'),
  note text check (length(note) <= 2000),
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  check (not (from_type = to_type and from_id = to_id)),
  unique (workspace_id, from_type, from_id, type, to_type, to_id)
);
create index relationships_from_idx on relationships (workspace_id, from_type, from_id);
create index relationships_to_idx on relationships (workspace_id, to_type, to_id);

-- Endpoints are polymorphic (no foreign key): when a person or an organization is purged,
-- its links go too.
create function relationships_drop_endpoint() returns trigger language plpgsql as $$
begin
  delete from relationships
   where workspace_id = old.workspace_id
     and ((from_type = tg_argv[0] and from_id = old.id) or (to_type = tg_argv[0] and to_id = old.id));
  return old;
end $$;
create trigger people_drop_relationships after delete on people
  for each row execute function relationships_drop_endpoint('person');
create trigger organizations_drop_relationships after delete on organizations
  for each row execute function relationships_drop_endpoint('organization');
