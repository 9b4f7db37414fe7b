import { audit, auditMany } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import {
  type CreateOrganizationInput,
  type ListOrganizationsQuery,
  normalizeDomain,
  type Organization,
  type OrganizationFieldsInput,
} from '../../shared/organizations.ts';
import { cleanText, type FieldProblem, normalizeTags } from '../../shared/people.ts';
import { customFieldFilterMatches, validateCustomFields } from '../custom-fields/service.ts';
import { decodeCursor, parseSort, toListPage } from '../people/keyset.ts';
import { listPageWithQuery } from '../people/list-query-page.ts';
import { unprocessable } from '../people/normalize.ts';
import { restoreWindowDays, staleVersion } from '../people/precondition.ts';
import {
  ancestorsOf,
  detachPeople,
  findDeletedOrganization,
  findOrganization,
  insertOrganization,
  organizationColumns,
  organizationOutput,
  organizationsListQuery,
  relinkPeople,
  updateOrganizationRow,
} from './queries.ts';

const entity = 'organization';
type OrganizationState = Omit<Organization, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

const emptyState: OrganizationState = {
  name: '',
  domains: [],
  industry: null,
  size: null,
  address: null,
  parentId: null,
  tags: [],
  customFields: {},
  notes: null,
};

/** Applies the fields present in `input` (null clears), normalized; 422 names each refused field. */
async function applyInput(
  tx: Queryable,
  workspaceId: string,
  id: string,
  base: OrganizationState,
  input: OrganizationFieldsInput,
): Promise<OrganizationState> {
  const problems: FieldProblem[] = [];
  const next = { ...base };
  if (input.name !== undefined) next.name = input.name.trim();
  if (input.industry !== undefined) next.industry = cleanText(input.industry);
  if (input.size !== undefined) next.size = cleanText(input.size);
  if (input.tags !== undefined) next.tags = normalizeTags(input.tags);
  if (input.customFields !== undefined) next.customFields = input.customFields;
  if (input.notes !== undefined) next.notes = input.notes?.trim() ? input.notes : null;
  if (input.address !== undefined) {
    const address = input.address && {
      street: cleanText(input.address.street),
      city: cleanText(input.address.city),
      region: cleanText(input.address.region),
      postalCode: cleanText(input.address.postalCode),
      country: cleanText(input.address.country),
    };
    next.address = address && Object.values(address).some(Boolean) ? address : null;
  }
  if (input.domains !== undefined) {
    const domains = new Set<string>();
    input.domains.forEach((value, index) => {
      const domain = normalizeDomain(value);
      if (domain) domains.add(domain);
      else {
        problems.push({
          path: `body.domains.${index}`,
          message: `"${value.trim()}" is not a domain name (such as example.com).`,
        });
      }
    });
    next.domains = [...domains];
  }
  if (input.parentId !== undefined && input.parentId !== base.parentId) {
    next.parentId = input.parentId ?? null;
    if (next.parentId) {
      const chain = await ancestorsOf(tx, workspaceId, next.parentId);
      const parent = await findOrganization(tx, workspaceId, next.parentId);
      if (!parent)
        problems.push({ path: 'body.parentId', message: 'is not an organization of this workspace.' });
      else if (chain.includes(id)) {
        problems.push({ path: 'body.parentId', message: 'would make the organization its own parent.' });
      }
    }
  }
  if (problems.length > 0) throw unprocessable(problems);
  if (input.customFields !== undefined) {
    next.customFields = await validateCustomFields(tx, workspaceId, 'organization', next.customFields);
  }
  return next;
}

export async function getOrganization(ctx: RequestContext, auth: Auth, id: string) {
  const row = await findOrganization(ctx.deps.db, auth.workspaceId, id);
  if (!row) throw notFound('The organization');
  return organizationOutput(row);
}

export async function listOrganizationsPage(ctx: RequestContext, auth: Auth, query: ListOrganizationsQuery) {
  const sort = parseSort(query.sort);
  const cursor = query.after ? decodeCursor(query.after, sort) : null;
  // One snapshot for the page's steps (list-query-page.ts), so a write in between cannot end the list early.
  const rows = await ctx.deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const customFieldMatches = query.customField?.length
        ? await customFieldFilterMatches(tx, auth.workspaceId, 'organization', query.customField)
        : [];
      const filters = { ...query, customFieldMatches };
      return listPageWithQuery(tx, {
        q: query.q,
        table: 'organizations',
        sort,
        cursor,
        rows: query.limit + 1,
        page: (qMatch, after) =>
          organizationsListQuery(
            tx,
            auth.workspaceId,
            { ...filters, q: qMatch ? query.q : undefined, qMatch },
            sort,
            after,
          ),
      });
    });
  return toListPage(rows, query.limit, sort, organizationOutput);
}

export async function createOrganization(ctx: RequestContext, auth: Auth, input: CreateOrganizationInput) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const id = newId();
    const state = await applyInput(tx, auth.workspaceId, id, emptyState, input);
    const row = await insertOrganization(tx, {
      id,
      workspace_id: auth.workspaceId,
      ...organizationColumns(state),
    });
    const created = organizationOutput(row);
    await audit(tx, auditContext(ctx), {
      action: 'organization.created',
      entity,
      entityId: id,
      after: created,
    });
    return created;
  });
}

export async function updateOrganization(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: OrganizationFieldsInput,
  version: number,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findOrganization(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The organization');
    if (row.version !== version) throw staleVersion('this organization', version, row.version);
    const before = organizationOutput(row);
    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...current } = before;
    const state = await applyInput(tx, auth.workspaceId, id, current, input);
    const updated = await updateOrganizationRow(tx, auth.workspaceId, id, {
      ...organizationColumns(state),
      updated_at: new Date(),
    });
    const after = organizationOutput(updated);
    await audit(tx, auditContext(ctx), {
      action: 'organization.updated',
      entity,
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/**
 * Soft delete, restorable for 30 days. Its people are detached in the same transaction (their
 * organization is cleared, each change audited) and remember it in detached_organization_id, so
 * that restoring it re-links them.
 */
export async function deleteOrganization(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  version: number | undefined,
) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findOrganization(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The organization');
    if (version !== undefined && row.version !== version) {
      throw staleVersion('this organization', version, row.version);
    }
    const deleted = await updateOrganizationRow(tx, auth.workspaceId, id, { deleted_at: new Date() });
    const detached = await detachPeople(tx, auth.workspaceId, id);
    await audit(tx, auditContext(ctx), {
      action: 'organization.deleted',
      entity,
      entityId: id,
      before: organizationOutput(row),
      after: { deletedAt: deleted.deleted_at?.toISOString() ?? null, detachedPeople: detached.length },
    });
    await auditPeople(ctx, tx, 'person.organization_detached', detached, id, null);
  });
}

/** One audit entry per person whose organization link changed, in one INSERT. */
async function auditPeople(
  ctx: RequestContext,
  tx: Queryable,
  action: string,
  people: { id: string; version: number }[],
  from: string | null,
  to: string | null,
) {
  await auditMany(
    tx,
    people.map((person) => ({
      context: auditContext(ctx),
      entry: {
        action,
        entity: 'person',
        entityId: person.id,
        before: { organizationId: from, version: person.version - 1 },
        after: { organizationId: to, version: person.version },
      },
    })),
  );
}

export async function restoreOrganization(ctx: RequestContext, auth: Auth, id: string) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findDeletedOrganization(tx, auth.workspaceId, id);
    if (!row) {
      if (await findOrganization(tx, auth.workspaceId, id)) {
        throw new AppError('conflict', 'This organization is not deleted; there is nothing to restore.');
      }
      throw notFound('The deleted organization');
    }
    if (row.deleted_at && Date.now() - row.deleted_at.getTime() > restoreWindowDays * 86_400_000) {
      throw new AppError('gone', `This organization was deleted more than ${restoreWindowDays} days ago.`);
    }
    const restored = await updateOrganizationRow(tx, auth.workspaceId, id, {
      deleted_at: null,
      updated_at: new Date(),
    });
    const relinked = await relinkPeople(tx, auth.workspaceId, id);
    const after = organizationOutput(restored);
    await audit(tx, auditContext(ctx), {
      action: 'organization.restored',
      entity,
      entityId: id,
      after: { ...after, relinkedPeople: relinked.length },
    });
    await auditPeople(ctx, tx, 'person.organization_relinked', relinked, null, id);
    return after;
  });
}
