-- Service cost settings for the cost metrics (issue 7), versioned by date so history stays true:
-- an item is priced with the version in force on the day it was created (workspace time zone).
create table cost_settings (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  effective_from date not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  hourly_cost numeric(12, 2) not null check (hourly_cost >= 0),
  -- {channel: cost per contact}, e.g. {"phone": 6, "email": 3, "portal": 0.1}
  per_contact jsonb not null default '{}',
  -- {channel: minutes}: the handling time assumed when an item has no recorded time
  handling_minutes jsonb not null default '{}',
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now()
);
create index cost_settings_effective_idx on cost_settings (workspace_id, effective_from desc, created_at desc);

-- Recorded staff handling time of an item, in minutes (null: the channel's estimate applies).
alter table items add column handling_minutes integer check (handling_minutes >= 0);

-- The metrics anchored on created_at (costs, escalation rate, self-service) scan by period.
create index if not exists items_metrics_created_idx on items (workspace_id, created_at);
