-- Goals: a title, one metric target or several that must all hold (a composite plan), a
-- baseline computed from a past period, a target, a start, a deadline, an owner, milestones.

create table goals (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  title text not null check (length(title) between 1 and 300),
  description text check (length(description) <= 5000),
  owner_id uuid references users(id) on delete set null,
  -- [{metric, filter, baselineFrom, baselineTo, target: {type: 'absolute'|'relative', value}}]
  targets jsonb not null check (jsonb_typeof(targets) = 'array' and jsonb_array_length(targets) between 1 and 10),
  start_date date not null,
  deadline date not null,
  -- [{date, title}]
  milestones jsonb not null default '[]',
  template text,
  -- The status last evaluated (by the weekly digest), to report changes.
  status text check (status in ('on_track', 'at_risk', 'off_track', 'achieved', 'missed')),
  status_changed_at timestamptz,
  evaluated_at timestamptz,
  version integer not null default 1,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (start_date < deadline)
);
create index goals_list_idx on goals (workspace_id, deadline, id);
create index goals_owner_idx on goals (owner_id);

-- The weekly digest: who does not want it.
alter table users add column digest_opt_out boolean not null default false;
