-- The weekly goals digest (issue 7).

-- One row per workspace and week (the Monday, in the workspace's time zone) once its digest
-- went out: the job inserts it in the transaction that queues the mails, so a second run in the
-- same week sends nothing.
create table digest_runs (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  week date not null,
  sent_at timestamptz not null default now(),
  recipients integer not null default 0,
  primary key (workspace_id, week)
);

-- Each target's value and progress at the last digest evaluation, to find the biggest movers:
-- [{metric, value, progress}] in the order of `targets`.
alter table goals add column last_values jsonb;
