-- SLA pause: business minutes an item has spent paused (waiting on the customer, resolved or
-- closed before a reopen). sla_paused_at (0007) marks the pause in progress; when it ends, its
-- business minutes are added here and the due times move out by that much.
alter table items add column sla_paused_minutes integer not null default 0
  check (sla_paused_minutes >= 0);
