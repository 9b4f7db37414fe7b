-- People and organizations: the shared Rolodex.
-- Lists read `deleted_at is null` rows through partial indexes that end in the sort key and id
-- (keyset pagination). search_name / search_text hold folded text (lower case, accents
-- removed; computed by src/shared/people.ts) for trigram search.

-- The region used to read phone numbers written without a country code.
alter table workspaces add column default_region text not null default 'US'
  check (default_region ~ '^[A-Z]{2}$');

create table organizations (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  name text not null check (length(name) between 1 and 300),
  sort_name text collate "C" not null,
  search_name text not null,
  search_text text not null,
  domains text[] not null default '{}',
  industry text,
  size text,
  address jsonb,
  parent_id uuid references organizations(id) on delete set null,
  tags text[] not null default '{}',
  custom_fields jsonb not null default '{}',
  notes text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index organizations_name_idx on organizations (workspace_id, sort_name, id) where deleted_at is null;
create index organizations_created_idx on organizations (workspace_id, created_at, id) where deleted_at is null;
create index organizations_updated_idx on organizations (workspace_id, updated_at, id) where deleted_at is null;
create index organizations_parent_idx on organizations (workspace_id, parent_id, sort_name, id) where deleted_at is null;
create index organizations_tags_idx on organizations using gin (tags) where deleted_at is null;
create index organizations_domains_idx on organizations using gin (domains);
create index organizations_search_name_idx on organizations using gin (search_name gin_trgm_ops);
create index organizations_search_text_idx on organizations using gin (search_text gin_trgm_ops);
create index organizations_deleted_idx on organizations (deleted_at) where deleted_at is not null;

create table people (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  given_name text,
  family_name text,
  prefix text,
  suffix text,
  nickname text,
  display_name text not null check (length(display_name) between 1 and 500),
  -- false: display_name is derived from the name parts and follows them when they change.
  custom_display_name boolean not null default false,
  sort_name text collate "C" not null,
  search_name text not null,
  search_text text not null,
  pronouns text,
  job_title text,
  stage text not null default 'prospect'
    check (stage in ('prospect', 'customer', 'former_customer', 'influencer', 'advocate', 'partner', 'other')),
  source text,
  owner_id uuid references users(id) on delete set null,
  organization_id uuid references organizations(id) on delete set null,
  birthday date,
  emails jsonb not null default '[]',
  phones jsonb not null default '[]',
  addresses jsonb not null default '[]',
  websites jsonb not null default '[]',
  social jsonb not null default '[]',
  important_dates jsonb not null default '[]',
  tags text[] not null default '{}',
  custom_fields jsonb not null default '{}',
  email_keys text[] not null default '{}', -- lower-cased emails, for matching
  phone_keys text[] not null default '{}', -- E.164 numbers, for matching
  notes text,
  notes_search tsvector generated always as (to_tsvector('simple', coalesce(notes, ''))) stored,
  last_contacted_at timestamptz,
  next_follow_up_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index people_name_idx on people (workspace_id, sort_name, id) where deleted_at is null;
create index people_created_idx on people (workspace_id, created_at, id) where deleted_at is null;
create index people_updated_idx on people (workspace_id, updated_at, id) where deleted_at is null;
create index people_stage_idx on people (workspace_id, stage, sort_name, id) where deleted_at is null;
create index people_owner_idx on people (workspace_id, owner_id, sort_name, id) where deleted_at is null;
create index people_organization_idx on people (workspace_id, organization_id, sort_name, id)
  where deleted_at is null;
create index people_tags_idx on people using gin (tags) where deleted_at is null;
create index people_email_keys_idx on people using gin (email_keys);
create index people_phone_keys_idx on people using gin (phone_keys);
create index people_search_name_idx on people using gin (search_name gin_trgm_ops);
create index people_search_text_idx on people using gin (search_text gin_trgm_ops);
create index people_notes_search_idx on people using gin (notes_search);
create index people_deleted_idx on people (deleted_at) where deleted_at is not null;
