-- Queue views of the listening register (src/features/items/queues.ts). Each queue reads one
-- index range in id order (keyset pages), so "open", "mine" and the SLA windows get partial
-- indexes over open items only; closed items pile up over the years and must not be scanned.
create index items_open_idx on items (workspace_id, id desc)
  where status in ('new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'reopened');
create index items_owner_open_idx on items (workspace_id, owner_id, id desc)
  where status in ('new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'reopened');
-- Breaching soon: open, not paused, a due time inside the warning window.
create index items_first_response_due_idx on items (workspace_id, first_response_due_at)
  where first_response_due_at is not null and first_responded_at is null
    and first_response_breached_at is null and sla_paused_at is null
    and status in ('new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'reopened');
create index items_resolution_due_idx on items (workspace_id, resolution_due_at)
  where resolution_due_at is not null and resolution_breached_at is null and sla_paused_at is null
    and status in ('new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'reopened');
-- Escalated open items, newest first (items_escalated_idx of 0007 leads with the level).
create index items_escalated_open_idx on items (workspace_id, id desc)
  where escalation_level <> 'agent'
    and status in ('new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'reopened');
-- q: words in the subject (ilike '%…%'), found through trigrams rather than a scan.
create index items_subject_trgm_idx on items using gin (subject gin_trgm_ops);
