-- Queues (issue 5, performance): the escalated queue filtered to items not breached. Escalations
-- mostly follow breaches, so on 1M items (202k escalated open) the escalated queue's own index
-- met 95,000 breached items before 51 unbreached ones (43–133 ms); this index holds only the
-- unbreached ones (~7k there, 2 ms). Small: an item enters it only while escalated, open and
-- unbreached.
create index items_escalated_unbreached_idx on items (workspace_id, id desc)
  where escalation_level <> 'agent'
    and status in ('new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'reopened')
    and first_response_breached_at is null and resolution_breached_at is null;
