-- The listening register: items (every piece of customer voice), their append-only event log,
-- the conversation with the customer, observations, votes, problems (root causes), SLA policies,
-- business hours, escalation rules, message templates, teams and in-app notifications.

create table teams (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  name text not null check (length(name) between 1 and 100),
  created_at timestamptz not null default now()
);
create unique index teams_name_key on teams (workspace_id, lower(name));

-- Where a staff user stands on the escalation ladder (null: derived from the role, see
-- src/shared/listening.ts ladderLevelOfRole) and which team they belong to.
alter table users add column ladder_level text
  check (ladder_level in ('agent', 'lead', 'manager', 'executive'));
alter table users add column team_id uuid references teams(id) on delete set null;

create table item_categories (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  name text not null check (length(name) between 1 and 100),
  -- [{key, label, type: text|number|boolean|datetime|choice, choices?: string[]}]
  observation_template jsonb not null default '[]',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index item_categories_name_key on item_categories (workspace_id, lower(name));

create table problems (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  title text not null check (length(title) between 1 and 300),
  hypothesis text not null default '' check (length(hypothesis) <= 20000),
  owner_id uuid references users(id) on delete set null,
  status text not null default 'investigating'
    check (status in ('investigating', 'identified', 'fix_in_progress', 'fixed')),
  fix_summary text check (length(fix_summary) <= 20000),
  fixed_at timestamptz,
  fixed_by uuid references users(id) on delete set null,
  created_by uuid references users(id) on delete set null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index problems_list_idx on problems (workspace_id, status, id desc);

create table items (
  id uuid primary key,
  -- A short number people can quote ("#1042"); global so that creating an item takes no lock.
  ref bigint generated always as identity unique,
  workspace_id uuid not null references workspaces(id),
  kind text not null
    check (kind in ('opinion', 'request', 'suggestion', 'complaint', 'praise', 'question')),
  channel text not null
    check (channel in ('email', 'web_form', 'portal', 'phone', 'chat', 'social', 'in_person', 'survey', 'letter')),
  subject text not null check (length(subject) between 1 and 500),
  body text not null default '' check (length(body) <= 200000),
  person_id uuid references people(id) on delete set null,
  reporter_name text check (length(reporter_name) <= 300),
  reporter_email text check (length(reporter_email) <= 320),
  organization_id uuid references organizations(id) on delete set null,
  category_id uuid references item_categories(id) on delete set null,
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  sentiment text check (sentiment in ('very_negative', 'negative', 'neutral', 'positive', 'very_positive')),
  status text not null default 'new'
    check (status in ('new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'resolved', 'closed', 'reopened')),
  owner_id uuid references users(id) on delete set null,
  team_id uuid references teams(id) on delete set null,
  escalation_level text not null default 'agent'
    check (escalation_level in ('agent', 'lead', 'manager', 'executive')),
  escalated_at timestamptz,
  tags text[] not null default '{}',
  -- SLA: due times (null when no policy applies), when each target was met or breached,
  -- the pause while waiting on the customer, and when the sweep must look at the item next.
  first_response_due_at timestamptz,
  resolution_due_at timestamptz,
  first_responded_at timestamptz,
  first_response_breached_at timestamptz,
  resolution_breached_at timestamptz,
  sla_paused_at timestamptz,
  sla_warned_at timestamptz,
  sla_next_check_at timestamptz,
  acknowledged_at timestamptz,
  resolved_at timestamptz,
  resolution text check (length(resolution) <= 20000),
  informed_at timestamptz,
  thanked_at timestamptz,
  closed_at timestamptz,
  close_reason text check (length(close_reason) <= 2000),
  reopened_count integer not null default 0,
  staff_reply_count integer not null default 0,
  problem_id uuid references problems(id) on delete set null,
  merged_into_id uuid references items(id) on delete set null,
  vote_count integer not null default 0,
  -- The secret in the reply address (reply+<token>@…) that threads the customer's answers.
  reply_token text not null unique,
  created_by uuid references users(id) on delete set null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- Queue views: every list is (workspace_id, <filter>, id desc) so keyset pages are index ranges.
create index items_recent_idx on items (workspace_id, id desc);
create index items_status_idx on items (workspace_id, status, id desc);
create index items_owner_idx on items (workspace_id, owner_id, status, id desc);
create index items_unowned_idx on items (workspace_id, id desc)
  where owner_id is null and status not in ('resolved', 'closed');
create index items_team_idx on items (workspace_id, team_id, id desc) where team_id is not null;
create index items_person_idx on items (workspace_id, person_id, id desc) where person_id is not null;
create index items_organization_idx on items (workspace_id, organization_id, id desc)
  where organization_id is not null;
create index items_kind_idx on items (workspace_id, kind, id desc);
create index items_category_idx on items (workspace_id, category_id, id desc) where category_id is not null;
create index items_escalated_idx on items (workspace_id, escalation_level, id desc)
  where escalation_level <> 'agent';
create index items_breached_idx on items (workspace_id, id desc)
  where first_response_breached_at is not null or resolution_breached_at is not null;
create index items_problem_idx on items (problem_id, id) where problem_id is not null;
create index items_merged_idx on items (merged_into_id) where merged_into_id is not null;
create index items_tags_idx on items using gin (tags);
create index items_closed_idx on items (workspace_id, closed_at desc, id desc) where closed_at is not null;
-- The SLA sweep reads only items whose next check is due: incremental, never a full scan.
create index items_sla_check_idx on items (sla_next_check_at) where sla_next_check_at is not null;
create index items_reporter_email_idx on items (workspace_id, lower(reporter_email))
  where reporter_email is not null;

-- The full history of an item. Append-only: a trigger refuses updates and deletes unless the
-- transaction sets rapport.rewrite_events = 'on' (erasure of personal data, a later issue).
create table item_events (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  item_id uuid not null references items(id) on delete cascade,
  type text not null check (type ~ '^[a-z][a-z_]{1,49}$'),
  actor_type text not null check (actor_type in ('user', 'token', 'system', 'customer', 'anonymous')),
  actor_id uuid,
  data jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index item_events_item_idx on item_events (item_id, created_at, id);
create index item_events_type_idx on item_events (workspace_id, type, created_at);

create function item_events_append_only() returns trigger language plpgsql as $$
begin
  if coalesce(current_setting('rapport.rewrite_events', true), '') = 'on' then
    return coalesce(new, old);
  end if;
  raise exception 'item_events is append-only' using errcode = '55000';
end $$;
create trigger item_events_append_only before update or delete on item_events
  for each row execute function item_events_append_only();

-- The conversation: messages to and from the customer, and internal notes (never sent).
create table item_messages (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  item_id uuid not null references items(id) on delete cascade,
  kind text not null check (kind in ('outbound', 'inbound', 'note')),
  author_user_id uuid references users(id) on delete set null,
  person_id uuid references people(id) on delete set null,
  from_address text,
  to_address text,
  subject text check (length(subject) <= 1000),
  body_text text not null check (length(body_text) <= 500000),
  -- Sanitised HTML of an inbound mail (remote images removed), shown only on request.
  body_html text,
  -- The RFC 5322 Message-ID, for threading and to ignore a mail received twice.
  message_id text,
  outbox_id uuid references outbox(id) on delete set null,
  created_at timestamptz not null default now()
);
create index item_messages_item_idx on item_messages (item_id, created_at, id);
create unique index item_messages_message_id_key on item_messages (workspace_id, message_id)
  where message_id is not null;

create table item_attachments (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  item_id uuid not null references items(id) on delete cascade,
  message_id uuid references item_messages(id) on delete cascade,
  filename text not null check (length(filename) between 1 and 255),
  content_type text not null,
  size_bytes integer not null check (size_bytes >= 0),
  data bytea not null,
  created_at timestamptz not null default now()
);
create index item_attachments_item_idx on item_attachments (item_id, id);

-- Observations: typed conditions of an occurrence. value_key is the value as text (numbers and
-- times in a canonical form) so that the problem compare panel can group by it.
create table item_observations (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  item_id uuid not null references items(id) on delete cascade,
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,49}$'),
  value_type text not null check (value_type in ('text', 'number', 'boolean', 'datetime', 'choice')),
  value jsonb not null,
  value_key text not null check (length(value_key) <= 500),
  author_user_id uuid references users(id) on delete set null,
  created_at timestamptz not null default now()
);
create index item_observations_item_idx on item_observations (item_id, created_at, id);
create index item_observations_key_idx on item_observations (workspace_id, key, value_key, item_id);

create table item_votes (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  item_id uuid not null references items(id) on delete cascade,
  person_id uuid references people(id) on delete cascade,
  user_id uuid references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  check ((person_id is null) <> (user_id is null))
);
create unique index item_votes_person_key on item_votes (item_id, person_id) where person_id is not null;
create unique index item_votes_user_key on item_votes (item_id, user_id) where user_id is not null;

-- SLA targets per kind × priority, in business minutes.
create table sla_policies (
  workspace_id uuid not null references workspaces(id),
  kind text not null
    check (kind in ('opinion', 'request', 'suggestion', 'complaint', 'praise', 'question')),
  priority text not null check (priority in ('low', 'normal', 'high', 'urgent')),
  first_response_minutes integer check (first_response_minutes between 1 and 525600),
  resolution_minutes integer check (resolution_minutes between 1 and 5256000),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, kind, priority)
);

-- One calendar per workspace: its time zone, weekly hours and holidays.
create table business_hours (
  workspace_id uuid primary key references workspaces(id),
  time_zone text not null default 'UTC',
  -- [{day: 0..6 (0 = Sunday), start: 'HH:MM', end: 'HH:MM'}]
  schedule jsonb not null default '[]',
  -- ['YYYY-MM-DD', …] in the workspace's time zone
  holidays jsonb not null default '[]',
  -- When the SLA is due within this many business minutes, the owner is warned.
  warn_before_minutes integer not null default 60 check (warn_before_minutes between 0 and 10080),
  updated_at timestamptz not null default now()
);

-- Automatic escalation: on a trigger, raise the item to a level (never lower it).
create table escalation_rules (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  trigger text not null
    check (trigger in ('first_response_breach', 'resolution_breach', 'resolution_overdue')),
  -- For resolution_overdue: still open after factor × the resolution target.
  factor numeric check (factor > 1 and factor <= 100),
  level text not null check (level in ('lead', 'manager', 'executive')),
  position integer not null default 0,
  created_at timestamptz not null default now()
);
create index escalation_rules_workspace_idx on escalation_rules (workspace_id, position);

-- Templates for the automatic acknowledgement, the thank-you and the fix notice, per kind.
create table message_templates (
  workspace_id uuid not null references workspaces(id),
  purpose text not null check (purpose in ('acknowledgement', 'thank_you', 'fix_notice')),
  kind text not null
    check (kind in ('opinion', 'request', 'suggestion', 'complaint', 'praise', 'question')),
  enabled boolean not null default true,
  subject text not null check (length(subject) between 1 and 500),
  body text not null check (length(body) between 1 and 20000),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, purpose, kind)
);

create table notifications (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  user_id uuid not null references users(id) on delete cascade,
  type text not null
    check (type in ('assignment', 'mention', 'customer_reply', 'sla_warning', 'sla_breach', 'escalation', 'problem_fixed')),
  item_id uuid references items(id) on delete cascade,
  problem_id uuid references problems(id) on delete cascade,
  title text not null check (length(title) <= 500),
  body text not null default '' check (length(body) <= 5000),
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_user_idx on notifications (user_id, id desc);
create index notifications_unread_idx on notifications (user_id, id desc) where read_at is null;

-- Outgoing mail may carry a Reply-To (the item's reply address) and threading headers.
alter table outbox add column reply_to text;
alter table outbox add column headers jsonb;

-- Where new mail for a workspace arrives (e.g. support@example.com); null: none.
alter table workspaces add column inbound_address text;
create unique index workspaces_inbound_address_key on workspaces (lower(inbound_address))
  where inbound_address is not null;

-- Saved views now also cover items.
alter table saved_views drop constraint saved_views_entity_check;
alter table saved_views add constraint saved_views_entity_check
  check (entity in ('person', 'organization', 'item'));
