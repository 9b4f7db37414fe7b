import { sql } from 'kysely';
import type { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import type { FieldProblem } from '../../shared/people.ts';
import type { createProblemInput, updateProblemInput } from '../../shared/problems.ts';
import { recordItemEvent } from '../items/events.ts';
import { unprocessable } from '../people/normalize.ts';
import { staleVersion } from '../people/precondition.ts';
import { findProblem, isActiveUser, lockItemsForLinking, lockProblem } from './queries.ts';

type CreateProblemInput = z.output<typeof createProblemInput>;
type UpdateProblemFields = Omit<z.output<typeof updateProblemInput>, 'version'>;

const entity = 'problem';

export async function getProblem(ctx: RequestContext, auth: Auth, id: string) {
  const found = await findProblem(ctx.deps.db, auth.workspaceId, id);
  if (!found) throw notFound('The problem');
  return found;
}

async function checkOwner(tx: Tx, workspaceId: string, ownerId: string | null | undefined) {
  if (ownerId && !(await isActiveUser(tx, workspaceId, ownerId))) {
    throw unprocessable([
      { path: 'body.ownerId', message: 'is not an active staff user of this workspace.' },
    ]);
  }
}

/**
 * Links items to a problem. An item belongs to at most one problem: items linked to another
 * one are refused (409, listed), as are duplicates merged into another item (link that one;
 * its duplicates follow). Items already linked to this problem are left as they are.
 */
async function linkItems(
  ctx: RequestContext,
  tx: Tx,
  auth: Auth,
  problem: { id: string; title: string },
  itemIds: readonly string[],
  now: Date,
) {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return [];
  const rows = await lockItemsForLinking(tx, auth.workspaceId, ids);
  const found = new Set(rows.map((row) => row.id));
  const missing: FieldProblem[] = [];
  itemIds.forEach((id, index) => {
    if (!found.has(id))
      missing.push({ path: `body.itemIds.${index}`, message: 'is not an item of this workspace.' });
  });
  if (missing.length > 0) throw unprocessable(missing);
  const elsewhere = rows.filter((row) => row.problem_id !== null && row.problem_id !== problem.id);
  if (elsewhere.length > 0) {
    const list = elsewhere.map((row) => `#${row.ref} (in "${row.problem_title}")`).join(', ');
    throw new AppError(
      'conflict',
      `An item belongs to at most one problem; already linked elsewhere: ${list}. Unlink them there first.`,
    );
  }
  const merged = rows.filter((row) => row.merged_into_id !== null);
  if (merged.length > 0) {
    const list = merged.map((row) => `#${row.ref} (merged into #${row.merged_into_ref})`).join(', ');
    throw new AppError(
      'conflict',
      `Duplicates follow the item they were merged into; link that one instead: ${list}.`,
    );
  }
  const toLink = rows.filter((row) => row.problem_id === null).map((row) => row.id);
  if (toLink.length === 0) return [];
  await tx
    .updateTable('items')
    .set({ problem_id: problem.id, updated_at: now, version: sql<number>`version + 1` })
    .where('workspace_id', '=', auth.workspaceId)
    .where('id', 'in', toLink)
    .execute();
  const actor = actorOf(auth);
  await sql`
    insert into item_events (id, workspace_id, item_id, type, actor_type, actor_id, data, created_at)
    select gen_random_uuid(), ${auth.workspaceId}, l.id, 'linked_to_problem', ${actor.type}, ${actor.userId},
      ${JSON.stringify({ problemId: problem.id, title: problem.title })}::jsonb, ${now}
    from unnest(${toLink}::uuid[]) as l(id)`.execute(tx);
  await audit(tx, auditContext(ctx), {
    action: 'problem.items_linked',
    entity,
    entityId: problem.id,
    after: { itemIds: toLink },
  });
  return toLink;
}

/** Creates a problem, from a selection of items or from one. */
export async function createProblem(ctx: RequestContext, auth: Auth, input: CreateProblemInput) {
  const id = await ctx.deps.db.transaction().execute(async (tx) => {
    await checkOwner(tx, auth.workspaceId, input.ownerId);
    const now = nowOf(ctx.deps);
    const row = {
      id: newId(),
      workspace_id: auth.workspaceId,
      title: input.title,
      hypothesis: input.hypothesis,
      owner_id: input.ownerId ?? null,
      created_by: auth.userId,
      created_at: now,
      updated_at: now,
    };
    await tx.insertInto('problems').values(row).execute();
    await audit(tx, auditContext(ctx), { action: 'problem.created', entity, entityId: row.id, after: row });
    await linkItems(ctx, tx, auth, row, input.itemIds, now);
    return row.id;
  });
  return getProblem(ctx, auth, id);
}

export async function updateProblem(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  fields: UpdateProblemFields,
  version: number,
) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const before = await lockProblem(tx, auth.workspaceId, id);
    if (!before) throw notFound('The problem');
    if (before.version !== version) throw staleVersion('the problem', version, before.version);
    if (fields.status !== undefined && before.status === 'fixed') {
      throw new AppError(
        'conflict',
        'This problem is fixed and its customers were told so; open a new problem if it came back.',
      );
    }
    await checkOwner(tx, auth.workspaceId, fields.ownerId);
    const changes = {
      ...(fields.title !== undefined ? { title: fields.title } : {}),
      ...(fields.hypothesis !== undefined ? { hypothesis: fields.hypothesis } : {}),
      ...(fields.ownerId !== undefined ? { owner_id: fields.ownerId } : {}),
      ...(fields.status !== undefined ? { status: fields.status } : {}),
    };
    await tx
      .updateTable('problems')
      .set({ ...changes, version: before.version + 1, updated_at: nowOf(ctx.deps) })
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .execute();
    const previous = Object.fromEntries(
      Object.keys(changes).map((key) => [key, before[key as keyof typeof before]]),
    );
    await audit(tx, auditContext(ctx), {
      action: 'problem.updated',
      entity,
      entityId: id,
      before: previous,
      after: changes,
    });
  });
  return getProblem(ctx, auth, id);
}

export async function linkProblemItems(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  itemIds: readonly string[],
) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const problem = await lockProblem(tx, auth.workspaceId, id);
    if (!problem) throw notFound('The problem');
    if (problem.status === 'fixed') {
      throw new AppError(
        'conflict',
        'This problem is fixed and its customers were told so; link new reports to a new problem.',
      );
    }
    await linkItems(ctx, tx, auth, problem, itemIds, nowOf(ctx.deps));
  });
  return getProblem(ctx, auth, id);
}

export async function unlinkProblemItem(ctx: RequestContext, auth: Auth, id: string, itemId: string) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const problem = await lockProblem(tx, auth.workspaceId, id);
    if (!problem) throw notFound('The problem');
    const now = nowOf(ctx.deps);
    const unlinked = await tx
      .updateTable('items')
      .set({ problem_id: null, updated_at: now, version: sql<number>`version + 1` })
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', itemId)
      .where('problem_id', '=', id)
      .executeTakeFirst();
    if (Number(unlinked.numUpdatedRows) === 0) throw notFound('The item linked to this problem');
    await recordItemEvent(tx, {
      workspaceId: auth.workspaceId,
      itemId,
      type: 'unlinked_from_problem',
      actor: actorOf(auth),
      data: { problemId: id, title: problem.title },
      at: now,
    });
    await audit(tx, auditContext(ctx), {
      action: 'problem.item_unlinked',
      entity,
      entityId: id,
      before: { itemId },
    });
  });
  return getProblem(ctx, auth, id);
}
