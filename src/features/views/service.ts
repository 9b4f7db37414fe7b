import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { checkCursor, toPage } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import type { CreateViewInput, SavedView, UpdateViewInput } from '../../shared/views.ts';
import { staleVersion } from '../people/precondition.ts';
import type { SavedViewRow } from './schema.ts';

const entity = 'saved_view';

function viewOutput(row: SavedViewRow): SavedView {
  return {
    id: row.id,
    entity: row.entity,
    name: row.name,
    shared: row.shared,
    ownerId: row.owner_id,
    query: row.query,
    columns: row.columns,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The views the caller can see: their own, and the shared ones. */
export async function listViews(
  ctx: RequestContext,
  auth: Auth,
  query: {
    entity?: 'person' | 'organization' | 'item' | undefined;
    after?: string | undefined;
    limit: number;
  },
) {
  const after = checkCursor(query.after);
  let select = ctx.deps.db
    .selectFrom('saved_views')
    .selectAll()
    .where('workspace_id', '=', auth.workspaceId)
    .where((eb) => eb.or([eb('owner_id', '=', auth.userId), eb('shared', '=', true)]));
  if (query.entity) select = select.where('entity', '=', query.entity);
  if (after) select = select.where('id', '>', after);
  const rows = await select
    .orderBy('id')
    .limit(query.limit + 1)
    .execute();
  return toPage(rows, query.limit, viewOutput);
}

async function findVisibleView(db: Queryable, auth: Auth, id: string, lock = false) {
  let query = db
    .selectFrom('saved_views')
    .selectAll()
    .where('workspace_id', '=', auth.workspaceId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  // Someone else's private view does not exist as far as the caller can tell.
  if (!row || (!row.shared && row.owner_id !== auth.userId)) throw notFound('The view');
  return row;
}

export async function getView(ctx: RequestContext, auth: Auth, id: string) {
  return viewOutput(await findVisibleView(ctx.deps.db, auth, id));
}

function checkCanEdit(auth: Auth, row: SavedViewRow) {
  if (row.owner_id !== auth.userId && auth.role !== 'admin') {
    throw new AppError(
      'forbidden',
      'Only the owner of this shared view (or an admin) may change or delete it.',
    );
  }
}

export async function createView(ctx: RequestContext, auth: Auth, input: CreateViewInput) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('saved_views')
      .values({
        id: newId(),
        workspace_id: auth.workspaceId,
        owner_id: auth.userId,
        entity: input.entity,
        name: input.name,
        shared: input.shared,
        query: JSON.stringify(input.query),
        columns: JSON.stringify(input.columns),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = viewOutput(row);
    await audit(tx, auditContext(ctx), {
      action: 'saved_view.created',
      entity,
      entityId: row.id,
      after: created,
    });
    return created;
  });
}

export async function updateView(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: Omit<UpdateViewInput, 'version'>,
  version: number,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findVisibleView(tx, auth, id, true);
    checkCanEdit(auth, row);
    if (row.version !== version) throw staleVersion('this view', version, row.version);
    const updated = await tx
      .updateTable('saved_views')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.shared !== undefined ? { shared: input.shared } : {}),
        ...(input.query !== undefined ? { query: JSON.stringify(input.query) } : {}),
        ...(input.columns !== undefined ? { columns: JSON.stringify(input.columns) } : {}),
        version: sql<number>`version + 1`,
        updated_at: new Date(),
      })
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = viewOutput(updated);
    await audit(tx, auditContext(ctx), {
      action: 'saved_view.updated',
      entity,
      entityId: id,
      before: viewOutput(row),
      after,
    });
    return after;
  });
}

export async function deleteView(ctx: RequestContext, auth: Auth, id: string, version?: number) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findVisibleView(tx, auth, id, true);
    checkCanEdit(auth, row);
    if (version !== undefined && row.version !== version)
      throw staleVersion('this view', version, row.version);
    await tx
      .deleteFrom('saved_views')
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .execute();
    await audit(tx, auditContext(ctx), {
      action: 'saved_view.deleted',
      entity,
      entityId: id,
      before: viewOutput(row),
    });
  });
}
