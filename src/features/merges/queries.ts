import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { MergeSummary } from '../../shared/merges.ts';
import type { PersonRowWithBirthday } from '../people/queries.ts';
import type { MergesTable } from './schema.ts';

export type LockedPerson = PersonRowWithBirthday & {
  merged_into: string | null;
  /** The whole row as jsonb (generated columns left out): what undo writes back. */
  snapshot: Record<string, unknown>;
};

/**
 * Both people of a merge, deleted ones included, locked for update. Rows are locked in id
 * order whichever way round the merge goes, so that two merges of the same pair queue up
 * instead of deadlocking.
 */
export async function lockPeople(tx: Queryable, workspaceId: string, ids: string[]) {
  const { rows } = await sql<LockedPerson>`
    select p.*, to_char(p.birthday, 'YYYY-MM-DD') as birthday_text,
      to_jsonb(p) - 'notes_search' as snapshot
    from people p
    where p.workspace_id = ${workspaceId} and p.id = any(cast(${ids} as uuid[]))
    order by p.id
    for update`.execute(tx);
  return new Map(rows.map((row) => [row.id, row]));
}

/** Soft-deletes the merged person, pointing at the survivor. */
export async function markMerged(tx: Queryable, workspaceId: string, id: string, survivorId: string) {
  const { rows } = await sql<{ version: number }>`
    update people set deleted_at = now(), updated_at = now(), merged_into = ${survivorId},
      version = version + 1
    where workspace_id = ${workspaceId} and id = ${id}
    returning version`.execute(tx);
  return rows[0]!.version;
}

let peopleColumns: Promise<string[]> | undefined;

/** The writable columns of `people` (generated ones cannot be written), read once per process. */
function writablePeopleColumns(tx: Queryable): Promise<string[]> {
  peopleColumns ??= sql<{ name: string }>`
    select attname as name from pg_attribute
    where attrelid = 'people'::regclass and attnum > 0 and not attisdropped and attgenerated = ''
      and attname not in ('id', 'workspace_id')
    order by attnum`
    .execute(tx)
    .then((result) => result.rows.map((row) => row.name));
  return peopleColumns;
}

/**
 * Writes a person back exactly as a snapshot holds it (every column, version and timestamps
 * included). Columns are read from the catalogue so that columns added later are restored too.
 */
export async function restorePersonRow(
  tx: Queryable,
  workspaceId: string,
  snapshot: Record<string, unknown>,
) {
  const columns = await writablePeopleColumns(tx);
  const list = sql.join(columns.map((column) => sql.ref(column)));
  const fromSnapshot = sql.join(columns.map((column) => sql.ref(`r.${column}`)));
  await sql`
    update people p set (${list}) = (
      select ${fromSnapshot}
      from jsonb_populate_record(null::people, cast(${JSON.stringify(snapshot)} as jsonb)) r)
    where p.workspace_id = ${workspaceId} and p.id = ${String(snapshot.id)}`.execute(tx);
}

type MergeRow = Pick<
  MergesTable,
  'id' | 'survivor_id' | 'merged_id' | 'survivor_name' | 'merged_name' | 'created_by'
> & { created_at: Date; undone_at: Date | null };

export const summaryColumns = [
  'id',
  'survivor_id',
  'merged_id',
  'survivor_name',
  'merged_name',
  'created_by',
  'created_at',
  'undone_at',
] as const;

export function mergeSummaryOutput(row: MergeRow): MergeSummary {
  return {
    id: row.id,
    survivorId: row.survivor_id,
    mergedId: row.merged_id,
    survivorName: row.survivor_name,
    mergedName: row.merged_name,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    undoneAt: row.undone_at?.toISOString() ?? null,
  };
}

/** Recent merges of the workspace, newest first (ids are UUIDv7: their order is creation order). */
export function listMerges(tx: Queryable, workspaceId: string, after: string | undefined, limit: number) {
  let query = tx
    .selectFrom('merges')
    .select(summaryColumns)
    .where('workspace_id', '=', workspaceId)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (after) query = query.where('id', '<', after);
  return query.execute();
}

export function findMerge(tx: Queryable, workspaceId: string, id: string, lock = false) {
  let query = tx
    .selectFrom('merges')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}
