import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { uuidPattern } from '../../platform/ids.ts';
import type { ProblemRecord, ProblemStatus } from '../../shared/problems.ts';
import type { ProblemRow } from '../items/schema.ts';

type CountedRow = ProblemRow & { item_count: number; open_item_count: number };

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function toProblem(row: CountedRow): ProblemRecord {
  return {
    id: row.id,
    title: row.title,
    hypothesis: row.hypothesis,
    ownerId: row.owner_id,
    status: row.status,
    fixSummary: row.fix_summary,
    fixedAt: iso(row.fixed_at),
    itemCount: row.item_count,
    openItemCount: row.open_item_count,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Problems with their linked-item counts (one lateral count per problem, over items_problem_idx). */
function problemsWithCounts(db: Queryable, workspaceId: string) {
  return db
    .selectFrom('problems as p')
    .selectAll('p')
    .select([
      sql<number>`(select count(*)::int from items i where i.problem_id = p.id)`.as('item_count'),
      sql<number>`(select count(*)::int from items i where i.problem_id = p.id and i.status <> 'closed')`.as(
        'open_item_count',
      ),
    ])
    .where('p.workspace_id', '=', workspaceId);
}

export async function findProblem(db: Queryable, workspaceId: string, id: string) {
  const row = await problemsWithCounts(db, workspaceId).where('p.id', '=', id).executeTakeFirst();
  return row ? toProblem(row as CountedRow) : undefined;
}

/** The problem row alone, locked for the transaction. */
export function lockProblem(tx: Queryable, workspaceId: string, id: string) {
  return tx
    .selectFrom('problems')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function problemsPage(
  db: Queryable,
  workspaceId: string,
  query: { status?: ProblemStatus; after?: string; limit: number },
) {
  if (query.after !== undefined && !uuidPattern.test(query.after)) {
    const message = 'must be the `next` value of a previous page of this list.';
    throw new AppError('validation_failed', `query.after: ${message}`, {
      errors: [{ path: 'query.after', message }],
    });
  }
  let builder = problemsWithCounts(db, workspaceId)
    .orderBy('p.id', 'desc')
    .limit(query.limit + 1);
  if (query.status) builder = builder.where('p.status', '=', query.status);
  if (query.after) builder = builder.where('p.id', '<', query.after);
  const rows = (await builder.execute()) as CountedRow[];
  const pageRows = rows.slice(0, query.limit);
  return {
    data: pageRows.map(toProblem),
    next: rows.length > query.limit ? (pageRows.at(-1)?.id ?? null) : null,
  };
}

/** An active staff user of the workspace (owners must be one). */
export async function isActiveUser(db: Queryable, workspaceId: string, userId: string) {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The items of a workspace among ids, locked, with what linking needs to know. The problem title
 * and the survivor's ref are read after the lock, by their own query: on PostgreSQL a row locked
 * after a concurrent update is re-read alone, and columns joined to it would keep their old
 * (here: null) values.
 */
export async function lockItemsForLinking(tx: Queryable, workspaceId: string, ids: readonly string[]) {
  const locked = await tx
    .selectFrom('items')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids as string[])
    .orderBy('id')
    .forUpdate()
    .execute();
  if (locked.length === 0) return [];
  return tx
    .selectFrom('items as i')
    .leftJoin('problems as p', 'p.id', 'i.problem_id')
    .leftJoin('items as s', 's.id', 'i.merged_into_id')
    .select([
      'i.id',
      'i.ref',
      'i.problem_id',
      'p.title as problem_title',
      'i.merged_into_id',
      's.ref as merged_into_ref',
    ])
    .where('i.workspace_id', '=', workspaceId)
    .where(
      'i.id',
      'in',
      locked.map((row) => row.id),
    )
    .orderBy('i.id')
    .execute();
}
