-- Intentcasts: staff list leads newest first (UUIDv7 ids), by status, and search what people want.
create index intents_workspace_recent_idx on intents (workspace_id, id desc);
create index intents_workspace_status_recent_idx on intents (workspace_id, status, id desc);
create index intents_what_trgm_idx on intents using gin (what gin_trgm_ops);
