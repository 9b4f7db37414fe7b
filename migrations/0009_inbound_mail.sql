-- Every message the built-in SMTP receiver accepted, stored raw before it is acknowledged so
-- that nothing is lost: a 'mail.inbound' job parses and routes it (a reply into its item, new
-- mail into a new item) and records the outcome here. A message addressed to several
-- workspaces is stored once per workspace.
create table inbound_mail (
  id uuid primary key,
  workspace_id uuid not null references workspaces(id),
  -- The SMTP envelope: the return path ('' for bounces) and the accepted recipients.
  mail_from text not null default '',
  rcpt_to text[] not null,
  raw bytea not null,
  size_bytes integer not null check (size_bytes >= 0),
  status text not null default 'received'
    check (status in ('received', 'processed', 'ignored', 'failed')),
  -- Why a message was ignored (bounce, auto-reply, duplicate) or failed (malformed …).
  reason text check (length(reason) <= 2000),
  message_id text,
  item_id uuid references items(id) on delete set null,
  received_at timestamptz not null default now(),
  processed_at timestamptz
);
create index inbound_mail_workspace_idx on inbound_mail (workspace_id, received_at desc, id desc);
create index inbound_mail_pending_idx on inbound_mail (received_at) where status = 'received';
