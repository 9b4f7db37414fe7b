-- The customer portal: passwordless sign-in, the customer's terms, erasure requests, the
-- knowledge base, the suggestions board and intentcasts.

-- Each workspace's portal lives at /portal/<portal_slug>.
alter table workspaces add column portal_slug text;
create function workspace_default_slug(name text, id uuid) returns text language sql immutable as $$
  select coalesce(nullif(trim(both '-' from left(regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'), 40)), ''), 'portal')
    || '-' || right(replace(id::text, '-', ''), 8)
$$;
update workspaces set portal_slug = workspace_default_slug(name, id);
create function workspaces_portal_slug() returns trigger language plpgsql as $$
begin
  if new.portal_slug is null then
    new.portal_slug := workspace_default_slug(new.name, new.id);
  end if;
  return new;
end $$;
create trigger workspaces_portal_slug before insert on workspaces
  for each row execute function workspaces_portal_slug();
alter table workspaces alter column portal_slug set not null;
alter table workspaces add constraint workspaces_portal_slug_check check (portal_slug ~ '^[a-z0-9][a-z0-9-]{1,62}$');
create unique index workspaces_portal_slug_key on workspaces (portal_slug);

-- Customers act on their own records: the audit log and item events name them.
alter table audit_log drop constraint audit_log_actor_type_check;
alter table audit_log add constraint audit_log_actor_type_check
  check (actor_type in ('user', 'token', 'system', 'anonymous', 'customer'));
create index audit_log_customer_idx on audit_log (workspace_id, actor_id, id) where actor_type = 'customer';

create table portal_settings (
  workspace_id uuid primary key references workspaces(id),
  enabled boolean not null default true,
  title text check (length(title) between 1 and 200),
  welcome text check (length(welcome) <= 5000),
  primary_color text not null default '#1c7ed6' check (primary_color ~ '^#[0-9a-f]{6}$'),
  logo bytea,
  logo_type text check (logo_type in ('image/png', 'image/jpeg', 'image/webp')),
  logo_version integer,
  -- Which parts of the portal are on.
  show_items boolean not null default true,
  show_suggestions boolean not null default true,
  show_articles boolean not null default true,
  show_intents boolean not null default true,
  -- Whether people who are not signed in may read the suggestions board.
  public_suggestions boolean not null default false,
  public_articles boolean not null default true,
  erasure_days integer not null default 30 check (erasure_days between 1 and 90),
  updated_at timestamptz not null default now()
);

create table portal_magic_links (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  email text not null, -- lower-cased
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  ip text
);
create index portal_magic_links_expires_idx on portal_magic_links (expires_at);

create table portal_sessions (
  id text primary key, -- sha256 of the cookie value
  workspace_id uuid not null references workspaces(id),
  email text not null,
  -- Null until the customer first submits something and gets a record.
  person_id uuid references people(id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index portal_sessions_person_idx on portal_sessions (person_id);
create index portal_sessions_expires_idx on portal_sessions (expires_at);

-- The customer's terms, one row per version; the newest is in force.
create table person_terms (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  person_id uuid not null references people(id) on delete cascade,
  version integer not null check (version >= 1),
  terms jsonb not null,
  set_by text not null check (set_by in ('customer', 'staff')),
  created_at timestamptz not null default now(),
  unique (person_id, version)
);

-- What was sent to whom, on which channel and for which purpose: the frequency limits count these.
create table contact_log (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  person_id uuid not null references people(id) on delete cascade,
  channel text not null check (channel in ('email', 'phone', 'sms', 'post')),
  purpose text not null check (purpose in ('service', 'product_news', 'marketing', 'research')),
  outbox_id uuid references outbox(id) on delete set null,
  created_at timestamptz not null default now()
);
create index contact_log_person_idx on contact_log (person_id, purpose, created_at);

create table erasure_requests (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  -- Kept after erasure as proof; the person row itself is anonymised, not deleted.
  person_id uuid references people(id) on delete set null,
  -- sha256 of the lower-cased email: proves who asked without keeping the address.
  email_hash text not null,
  reason text check (length(reason) <= 2000),
  status text not null default 'requested' check (status in ('requested', 'approved', 'rejected', 'done')),
  requested_at timestamptz not null default now(),
  due_at timestamptz not null,
  decided_by uuid references users(id) on delete set null,
  decided_at timestamptz,
  decision_note text check (length(decision_note) <= 2000),
  completed_at timestamptz
);
create index erasure_requests_queue_idx on erasure_requests (workspace_id, status, due_at);
create unique index erasure_requests_open_key on erasure_requests (person_id)
  where status in ('requested', 'approved');

-- Items: the customer's rating of how it was handled, and the suggestions board.
alter table items add column rating smallint check (rating between 1 and 5);
alter table items add column rating_comment text check (length(rating_comment) <= 2000);
alter table items add column rated_at timestamptz;
alter table items add column board_status text
  check (board_status in ('under_review', 'planned', 'done', 'declined'));
alter table items add column board_response text check (length(board_response) <= 5000);
alter table items add column board_updated_at timestamptz;
create index items_board_idx on items (workspace_id, board_status, id) where board_status is not null;
alter table item_messages add column via text check (via in ('email', 'portal', 'staff'));

create table suggestion_comments (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  item_id uuid not null references items(id) on delete cascade,
  person_id uuid references people(id) on delete cascade,
  user_id uuid references users(id) on delete set null,
  body text not null check (length(body) between 1 and 5000),
  created_at timestamptz not null default now(),
  check (person_id is null or user_id is null)
);
create index suggestion_comments_item_idx on suggestion_comments (item_id, created_at, id);

create table kb_articles (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  title text not null check (length(title) between 1 and 300),
  body text not null default '' check (length(body) <= 200000),
  category text check (length(category) between 1 and 100),
  status text not null default 'draft' check (status in ('draft', 'published')),
  source_item_id uuid references items(id) on delete set null,
  search tsvector generated always as (
    setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
  ) stored,
  views integer not null default 0,
  helpful_yes integer not null default 0,
  helpful_no integer not null default 0,
  created_by uuid references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz
);
create index kb_articles_list_idx on kb_articles (workspace_id, status, updated_at desc, id);
create index kb_articles_search_idx on kb_articles using gin (search);

-- One row per "Did this answer your question?" answer. context = 'before_submit' when the
-- article was offered while writing a question: a yes there is a deflected contact.
create table kb_feedback (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  article_id uuid not null references kb_articles(id) on delete cascade,
  person_id uuid references people(id) on delete set null,
  session_id text,
  helpful boolean not null,
  context text not null check (context in ('browse', 'before_submit')),
  created_at timestamptz not null default now()
);
create index kb_feedback_article_idx on kb_feedback (article_id, created_at);
create index kb_feedback_workspace_idx on kb_feedback (workspace_id, created_at);
create unique index kb_feedback_session_key on kb_feedback (article_id, session_id) where session_id is not null;

create table intents (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  person_id uuid not null references people(id) on delete cascade,
  what text not null check (length(what) between 1 and 2000),
  budget_min numeric(14, 2) check (budget_min >= 0),
  budget_max numeric(14, 2) check (budget_max >= 0),
  currency text check (currency ~ '^[A-Z]{3}$'),
  wanted_by date,
  channel text not null default 'portal' check (channel in ('portal', 'email', 'phone', 'sms', 'post')),
  status text not null default 'open' check (status in ('open', 'closed', 'withdrawn')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (budget_min is null or budget_max is null or budget_min <= budget_max)
);
create index intents_list_idx on intents (workspace_id, status, created_at desc, id);
create index intents_person_idx on intents (person_id, created_at desc);

create table intent_responses (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  intent_id uuid not null references intents(id) on delete cascade,
  user_id uuid references users(id) on delete set null,
  person_id uuid references people(id) on delete cascade,
  body text not null check (length(body) between 1 and 10000),
  created_at timestamptz not null default now(),
  check (person_id is null or user_id is null)
);
create index intent_responses_intent_idx on intent_responses (intent_id, created_at, id);
