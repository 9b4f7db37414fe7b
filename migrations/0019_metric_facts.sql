-- Metrics (issue 7, performance): a narrow copy of the item columns the metrics read, one row per
-- item, kept equal to `items` by triggers (so every writer keeps it: API, mail, SLA sweep, problem
-- fixes, merges, portal, imports, COPY). A year of metrics scans ~100-byte rows instead of the
-- wide item rows (subject, body, tokens); tests/api/metrics-rollup*.test.ts prove that every metric
-- computed from it equals the computation from `items`.
-- No foreign key to items: a restore may load this table before `items` (the insert trigger then
-- overwrites the row with the same values).
create table metric_item_facts (
  id uuid primary key,
  workspace_id uuid not null,
  kind text not null,
  channel text not null,
  priority text not null,
  category_id uuid,
  team_id uuid,
  owner_id uuid,
  organization_id uuid,
  tags text[] not null default '{}',
  merged_into_id uuid,
  escalation_level text not null,
  escalated_at timestamptz,
  created_at timestamptz not null,
  first_response_due_at timestamptz,
  resolution_due_at timestamptz,
  first_responded_at timestamptz,
  first_response_breached_at timestamptz,
  resolution_breached_at timestamptz,
  resolved_at timestamptz,
  informed_at timestamptz,
  thanked_at timestamptz,
  closed_at timestamptz,
  reopened_count integer not null default 0,
  staff_reply_count integer not null default 0,
  handling_minutes integer
) with (fillfactor = 90);

-- Items are created in time order, so the facts table is too: block ranges prune a period's scan
-- for every anchor at almost no write cost (a btree per anchor would cost each item write).
create index metric_item_facts_created_idx on metric_item_facts (workspace_id, created_at);
create index metric_item_facts_anchors_brin on metric_item_facts using brin
  (resolved_at, closed_at, first_responded_at, first_response_due_at, resolution_due_at);

create function metric_item_facts_insert() returns trigger language plpgsql as $$
begin
  insert into metric_item_facts as f (id, workspace_id, kind, channel, priority, category_id, team_id,
    owner_id, organization_id, tags, merged_into_id, escalation_level, escalated_at, created_at,
    first_response_due_at, resolution_due_at, first_responded_at, first_response_breached_at,
    resolution_breached_at, resolved_at, informed_at, thanked_at, closed_at, reopened_count,
    staff_reply_count, handling_minutes)
  select id, workspace_id, kind, channel, priority, category_id, team_id,
    owner_id, organization_id, tags, merged_into_id, escalation_level, escalated_at, created_at,
    first_response_due_at, resolution_due_at, first_responded_at, first_response_breached_at,
    resolution_breached_at, resolved_at, informed_at, thanked_at, closed_at, reopened_count,
    staff_reply_count, handling_minutes
  from new_items
  on conflict (id) do update set workspace_id = excluded.workspace_id, kind = excluded.kind,
    channel = excluded.channel, priority = excluded.priority, category_id = excluded.category_id,
    team_id = excluded.team_id, owner_id = excluded.owner_id, organization_id = excluded.organization_id,
    tags = excluded.tags, merged_into_id = excluded.merged_into_id,
    escalation_level = excluded.escalation_level, escalated_at = excluded.escalated_at,
    created_at = excluded.created_at, first_response_due_at = excluded.first_response_due_at,
    resolution_due_at = excluded.resolution_due_at, first_responded_at = excluded.first_responded_at,
    first_response_breached_at = excluded.first_response_breached_at,
    resolution_breached_at = excluded.resolution_breached_at, resolved_at = excluded.resolved_at,
    informed_at = excluded.informed_at, thanked_at = excluded.thanked_at, closed_at = excluded.closed_at,
    reopened_count = excluded.reopened_count, staff_reply_count = excluded.staff_reply_count,
    handling_minutes = excluded.handling_minutes;
  return null;
end $$;
-- Once per statement: a COPY or a multi-row insert of items costs one insert here.
create trigger items_metric_facts_insert after insert on items
  referencing new table as new_items for each statement execute function metric_item_facts_insert();

create function metric_item_facts_update() returns trigger language plpgsql as $$
begin
  update metric_item_facts set workspace_id = new.workspace_id, kind = new.kind, channel = new.channel,
    priority = new.priority, category_id = new.category_id, team_id = new.team_id,
    owner_id = new.owner_id, organization_id = new.organization_id, tags = new.tags,
    merged_into_id = new.merged_into_id, escalation_level = new.escalation_level,
    escalated_at = new.escalated_at, created_at = new.created_at,
    first_response_due_at = new.first_response_due_at, resolution_due_at = new.resolution_due_at,
    first_responded_at = new.first_responded_at,
    first_response_breached_at = new.first_response_breached_at,
    resolution_breached_at = new.resolution_breached_at, resolved_at = new.resolved_at,
    informed_at = new.informed_at, thanked_at = new.thanked_at, closed_at = new.closed_at,
    reopened_count = new.reopened_count, staff_reply_count = new.staff_reply_count,
    handling_minutes = new.handling_minutes
  where id = new.id;
  return null;
end $$;
-- Only when a column the metrics read changed (the WHEN is checked without calling the function):
-- status, subject, SLA timers and the other columns leave it alone.
create trigger items_metric_facts_update after update on items for each row
  when ((old.id, old.workspace_id, old.kind, old.channel, old.priority, old.category_id, old.team_id,
    old.owner_id, old.organization_id, old.tags, old.merged_into_id, old.escalation_level,
    old.escalated_at, old.created_at, old.first_response_due_at, old.resolution_due_at,
    old.first_responded_at, old.first_response_breached_at, old.resolution_breached_at,
    old.resolved_at, old.informed_at, old.thanked_at, old.closed_at, old.reopened_count,
    old.staff_reply_count, old.handling_minutes)
    is distinct from (new.id, new.workspace_id, new.kind, new.channel, new.priority, new.category_id,
    new.team_id, new.owner_id, new.organization_id, new.tags, new.merged_into_id,
    new.escalation_level, new.escalated_at, new.created_at, new.first_response_due_at,
    new.resolution_due_at, new.first_responded_at, new.first_response_breached_at,
    new.resolution_breached_at, new.resolved_at, new.informed_at, new.thanked_at, new.closed_at,
    new.reopened_count, new.staff_reply_count, new.handling_minutes))
  execute function metric_item_facts_update();

create function metric_item_facts_delete() returns trigger language plpgsql as $$
begin
  delete from metric_item_facts where id = old.id;
  return null;
end $$;
create trigger items_metric_facts_delete after delete on items for each row
  execute function metric_item_facts_delete();

-- A delete, not a truncate: a TRUNCATE naming both tables (a forced restore) would otherwise
-- refuse to truncate the facts table it is already truncating.
create function metric_item_facts_truncate() returns trigger language plpgsql as $$
begin
  delete from metric_item_facts;
  return null;
end $$;
create trigger items_metric_facts_truncate after truncate on items for each statement
  execute function metric_item_facts_truncate();

-- Backfill, in creation order (the BRIN ranges rely on it).
insert into metric_item_facts (id, workspace_id, kind, channel, priority, category_id, team_id,
  owner_id, organization_id, tags, merged_into_id, escalation_level, escalated_at, created_at,
  first_response_due_at, resolution_due_at, first_responded_at, first_response_breached_at,
  resolution_breached_at, resolved_at, informed_at, thanked_at, closed_at, reopened_count,
  staff_reply_count, handling_minutes)
select id, workspace_id, kind, channel, priority, category_id, team_id,
  owner_id, organization_id, tags, merged_into_id, escalation_level, escalated_at, created_at,
  first_response_due_at, resolution_due_at, first_responded_at, first_response_breached_at,
  resolution_breached_at, resolved_at, informed_at, thanked_at, closed_at, reopened_count,
  staff_reply_count, handling_minutes
from items order by created_at, id;
analyze metric_item_facts;
