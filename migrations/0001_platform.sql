-- Platform: workspaces, staff users, sessions, API tokens, invites, audit log,
-- rate limits, outbox, jobs and idempotency keys.
create extension if not exists pg_trgm;

create table workspaces (
  id uuid primary key,
  name text not null check (length(name) between 1 and 200),
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  email text not null,
  name text not null,
  role text not null check (role in ('admin', 'manager', 'agent', 'executive')),
  status text not null check (status in ('invited', 'active', 'disabled')),
  password_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_login_at timestamptz
);
create unique index users_email_key on users (lower(email));
create index users_workspace_idx on users (workspace_id, id);

create table sessions (
  id text primary key, -- sha256 of the cookie value
  workspace_id uuid not null references workspaces(id),
  user_id uuid not null references users(id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

create table api_tokens (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  user_id uuid not null references users(id) on delete cascade,
  name text not null,
  token_hash text not null unique,
  prefix text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (workspace_id, user_id, id);

create table invites (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  user_id uuid not null references users(id) on delete cascade,
  token_hash text not null unique,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz
);
create index invites_user_idx on invites (user_id);

create table audit_log (
  id uuid primary key, -- UUIDv7: time-ordered, used as the keyset cursor
  workspace_id uuid references workspaces(id),
  actor_type text not null check (actor_type in ('user', 'token', 'system', 'anonymous')),
  actor_id uuid,
  action text not null,
  entity text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  created_at timestamptz not null default now()
);
create index audit_log_workspace_idx on audit_log (workspace_id, id desc);
create index audit_log_entity_idx on audit_log (workspace_id, entity, entity_id, id desc);

create table rate_limits (
  key text not null,
  window_start timestamptz not null,
  count integer not null default 0,
  primary key (key, window_start)
);

create table outbox (
  id uuid primary key,
  workspace_id uuid references workspaces(id),
  to_address text not null,
  subject text not null,
  text_body text not null,
  html_body text,
  status text not null check (status in ('queued', 'sent', 'not_sent', 'failed')),
  error text,
  entity text,
  entity_id text,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index outbox_workspace_idx on outbox (workspace_id, id desc);

create table jobs (
  id uuid primary key,
  workspace_id uuid references workspaces(id),
  kind text not null,
  payload jsonb not null default '{}',
  status text not null check (status in ('queued', 'running', 'done', 'failed')),
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  last_error text,
  locked_at timestamptz,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_due_idx on jobs (run_at) where status = 'queued';
create index jobs_running_idx on jobs (locked_at) where status = 'running';
create index jobs_workspace_idx on jobs (workspace_id, status, id desc);

create table idempotency_keys (
  actor_id uuid not null,
  key text not null,
  workspace_id uuid not null references workspaces(id),
  request_hash text not null,
  status_code integer,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (actor_id, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
