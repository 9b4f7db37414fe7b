import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import {
  type CreateInteractionInput,
  futureToleranceMinutes,
  type Interaction,
  isContact,
  type ListInteractionsQuery,
  type TimelineQuery,
  type UpdateInteractionInput,
} from '../../shared/interactions.ts';
import type { FieldProblem } from '../../shared/people.ts';
import { unprocessable } from '../people/normalize.ts';
import { staleVersion } from '../people/precondition.ts';
import { decodeTimeCursor, toTimePage } from './cursor.ts';
import {
  existingIds,
  findInteraction,
  insertInteraction,
  organizationTimeline,
  participantIds,
  personTimeline,
  recomputeLastContacted,
  setNextFollowUp,
  setPeople,
  setStaff,
  toInteractions,
  touchLastContacted,
  updateInteractionRow,
  workspaceInteractions,
} from './queries.ts';
import type { InteractionRow } from './schema.ts';

const entity = 'interaction';
const unique = (ids: readonly string[]) => [...new Set(ids)];

async function checkReferences(
  tx: Queryable,
  workspaceId: string,
  refs: { personIds?: string[]; staffIds?: string[]; organizationId?: string | null; occurredAt?: Date },
) {
  const problems: FieldProblem[] = [];
  if (refs.occurredAt && refs.occurredAt.getTime() > Date.now() + futureToleranceMinutes * 60_000) {
    problems.push({
      path: 'body.occurredAt',
      message:
        'is in the future: log an interaction once it has happened, and plan the next one as a follow-up.',
    });
  }
  for (const [field, table, what] of [
    ['personIds', 'people', 'a person'],
    ['staffIds', 'users', 'a staff user'],
  ] as const) {
    const ids = refs[field] ?? [];
    const found = await existingIds(tx, table, workspaceId, ids);
    ids.forEach((id, index) => {
      if (!found.has(id))
        problems.push({ path: `body.${field}.${index}`, message: `is not ${what} of this workspace.` });
    });
  }
  if (refs.organizationId) {
    const found = await existingIds(tx, 'organizations', workspaceId, [refs.organizationId]);
    if (found.size === 0) {
      problems.push({ path: 'body.organizationId', message: 'is not an organization of this workspace.' });
    }
  }
  if (problems.length > 0) throw unprocessable(problems);
}

async function output(db: Queryable, workspaceId: string, row: InteractionRow): Promise<Interaction> {
  const [item] = await toInteractions(db, workspaceId, [row]);
  return item!;
}

export async function getInteraction(ctx: RequestContext, auth: Auth, id: string) {
  const row = await findInteraction(ctx.deps.db, auth.workspaceId, id);
  if (!row) throw notFound('The interaction');
  return output(ctx.deps.db, auth.workspaceId, row);
}

export async function createInteraction(ctx: RequestContext, auth: Auth, input: CreateInteractionInput) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const personIds = unique(input.personIds ?? []);
    const staffIds = unique(input.staffIds ?? [auth.userId]);
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : new Date();
    await checkReferences(tx, auth.workspaceId, {
      personIds,
      staffIds,
      organizationId: input.organizationId ?? null,
      occurredAt,
    });
    const id = newId();
    await insertInteraction(tx, {
      id,
      workspace_id: auth.workspaceId,
      type: input.type,
      channel: input.channel ?? null,
      direction: input.direction ?? null,
      occurred_at: occurredAt,
      duration_minutes: input.durationMinutes ?? null,
      summary: input.summary,
      outcome: input.outcome || null,
      organization_id: input.organizationId ?? null,
      created_by: auth.userId,
    });
    await setPeople(tx, auth.workspaceId, id, occurredAt, personIds);
    await setStaff(tx, auth.workspaceId, id, staffIds);
    if (isContact(input.type)) await touchLastContacted(tx, auth.workspaceId, personIds, occurredAt);
    if (input.nextFollowUpAt !== undefined) {
      const at = input.nextFollowUpAt === null ? null : new Date(input.nextFollowUpAt);
      await setNextFollowUp(tx, auth.workspaceId, personIds, at);
    }
    const created = await output(tx, auth.workspaceId, (await findInteraction(tx, auth.workspaceId, id))!);
    await audit(tx, auditContext(ctx), {
      action: 'interaction.created',
      entity,
      entityId: id,
      after: { ...created, nextFollowUpAt: input.nextFollowUpAt },
    });
    return created;
  });
}

export async function updateInteraction(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: Omit<UpdateInteractionInput, 'version'>,
  version: number,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findInteraction(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The interaction');
    if (row.version !== version) throw staleVersion('this interaction', version, row.version);
    const before = await output(tx, auth.workspaceId, row);
    const current = await participantIds(tx, id);
    const personIds = input.personIds ? unique(input.personIds) : current.personIds;
    const staffIds = input.staffIds ? unique(input.staffIds) : current.staffIds;
    const organizationId = input.organizationId === undefined ? row.organization_id : input.organizationId;
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : row.occurred_at;
    await checkReferences(tx, auth.workspaceId, {
      ...(input.personIds ? { personIds } : {}),
      ...(input.staffIds ? { staffIds } : {}),
      organizationId: organizationId !== row.organization_id ? organizationId : null,
      ...(input.occurredAt ? { occurredAt } : {}),
    });
    if (personIds.length === 0 && !organizationId) {
      throw unprocessable([
        { path: 'body.personIds', message: 'Name at least one person, or keep an organization.' },
      ]);
    }
    const type = input.type ?? row.type;
    await updateInteractionRow(tx, auth.workspaceId, id, {
      type,
      ...(input.channel !== undefined ? { channel: input.channel } : {}),
      ...(input.direction !== undefined ? { direction: input.direction } : {}),
      occurred_at: occurredAt,
      ...(input.durationMinutes !== undefined ? { duration_minutes: input.durationMinutes } : {}),
      ...(input.summary !== undefined ? { summary: input.summary } : {}),
      ...(input.outcome !== undefined ? { outcome: input.outcome || null } : {}),
      organization_id: organizationId,
      updated_at: new Date(),
    });
    const peopleChanged = input.personIds !== undefined || occurredAt.getTime() !== row.occurred_at.getTime();
    if (peopleChanged) await setPeople(tx, auth.workspaceId, id, occurredAt, personIds);
    if (input.staffIds) await setStaff(tx, auth.workspaceId, id, staffIds);
    if (peopleChanged || type !== row.type) {
      await recomputeLastContacted(tx, auth.workspaceId, unique([...current.personIds, ...personIds]));
    }
    const after = await output(tx, auth.workspaceId, (await findInteraction(tx, auth.workspaceId, id))!);
    await audit(tx, auditContext(ctx), {
      action: 'interaction.updated',
      entity,
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/** Soft delete (restorable); the people's "last contacted" falls back to their previous contact. */
export async function deleteInteraction(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  version: number | undefined,
) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findInteraction(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The interaction');
    if (version !== undefined && row.version !== version) {
      throw staleVersion('this interaction', version, row.version);
    }
    const before = await output(tx, auth.workspaceId, row);
    await updateInteractionRow(tx, auth.workspaceId, id, { deleted_at: new Date() });
    const { personIds } = await participantIds(tx, id);
    if (isContact(row.type)) await recomputeLastContacted(tx, auth.workspaceId, personIds);
    await audit(tx, auditContext(ctx), { action: 'interaction.deleted', entity, entityId: id, before });
  });
}

export async function restoreInteraction(ctx: RequestContext, auth: Auth, id: string) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('interactions')
      .select(['id', 'type', 'deleted_at'])
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('The interaction');
    if (!row.deleted_at)
      throw new AppError('conflict', 'This interaction is not deleted; there is nothing to restore.');
    await updateInteractionRow(tx, auth.workspaceId, id, { deleted_at: null, updated_at: new Date() });
    const { personIds } = await participantIds(tx, id);
    if (isContact(row.type)) await recomputeLastContacted(tx, auth.workspaceId, personIds);
    const after = await output(tx, auth.workspaceId, (await findInteraction(tx, auth.workspaceId, id))!);
    await audit(tx, auditContext(ctx), { action: 'interaction.restored', entity, entityId: id, after });
    return after;
  });
}

async function requireLive(
  db: Queryable,
  table: 'people' | 'organizations',
  workspaceId: string,
  id: string,
) {
  const found = await existingIds(db, table, workspaceId, [id]);
  if (found.size === 0) throw notFound(table === 'people' ? 'The person' : 'The organization');
}

export async function timelinePage(
  ctx: RequestContext,
  auth: Auth,
  owner: { personId?: string | undefined; organizationId?: string | undefined },
  query: TimelineQuery,
) {
  const db = ctx.deps.db;
  const cursor = query.after ? decodeTimeCursor(query.after, 'timeline') : null;
  const options = { types: query.type, cursor, limit: query.limit };
  let rows: Awaited<ReturnType<typeof personTimeline>>;
  if (owner.personId) {
    await requireLive(db, 'people', auth.workspaceId, owner.personId);
    rows = await personTimeline(db, auth.workspaceId, owner.personId, options);
  } else if (owner.organizationId) {
    await requireLive(db, 'organizations', auth.workspaceId, owner.organizationId);
    rows = await organizationTimeline(db, auth.workspaceId, owner.organizationId, options);
  } else {
    rows = await workspaceInteractions(db, auth.workspaceId, options);
  }
  const page = toTimePage(rows, query.limit, 'timeline', (row) => row);
  return { data: await toInteractions(db, auth.workspaceId, page.data), next: page.next };
}

export async function listInteractionsPage(ctx: RequestContext, auth: Auth, query: ListInteractionsQuery) {
  if (query.personId && query.organizationId) {
    const message = 'give personId or organizationId, not both.';
    throw new AppError('validation_failed', `query.organizationId: ${message}`, {
      errors: [{ path: 'query.organizationId', message }],
    });
  }
  const { personId, organizationId, ...rest } = query;
  return timelinePage(ctx, auth, { personId, organizationId }, rest);
}
