-- Deleting an organization detaches its people (QA 10, defect 3): their organization_id is
-- cleared in the deletion's transaction and the organization is remembered here, so that
-- restoring it (within 30 days) re-links exactly the people it detached that still have no
-- organization. Purging the organization clears the column (on delete set null).
alter table people add column detached_organization_id uuid references organizations(id) on delete set null;
create index people_detached_organization_idx on people (detached_organization_id)
  where detached_organization_id is not null;

-- Recently deleted (QA 10, defect 4): the restorable people and organizations of a workspace,
-- newest deletion first.
create index people_recently_deleted_idx on people (workspace_id, deleted_at desc, id desc)
  where deleted_at is not null;
create index organizations_recently_deleted_idx on organizations (workspace_id, deleted_at desc, id desc)
  where deleted_at is not null;

-- People that already point at a deleted organization (deleted before this change) are detached
-- the same way, and each detachment is audited (a system write; ids are UUIDv7 like the app's).
with detached as (
  update people p set detached_organization_id = p.organization_id, organization_id = null,
    version = p.version + 1, updated_at = now()
  from organizations o
  where o.id = p.organization_id and o.deleted_at is not null
  returning p.id, p.workspace_id, p.detached_organization_id, p.version
)
insert into audit_log (id, workspace_id, actor_type, actor_id, action, entity, entity_id, before, after)
select
  encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
    placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
    from 1 for 6), 52, 1), 53, 1), 'hex')::uuid,
  workspace_id, 'system', null, 'person.organization_detached', 'person', id::text,
  jsonb_build_object('organizationId', detached_organization_id, 'version', version - 1),
  jsonb_build_object('organizationId', null, 'version', version)
from detached;
