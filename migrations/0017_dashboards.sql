-- The metrics each user chose for their dashboard (GET/PUT /api/v1/dashboard). No row: the defaults.
create table user_dashboards (
  user_id uuid primary key references users(id) on delete cascade,
  workspace_id uuid not null references workspaces(id),
  metrics text[] not null,
  updated_at timestamptz not null default now()
);
