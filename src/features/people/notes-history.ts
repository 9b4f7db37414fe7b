import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Auth, RequestContext } from '../../platform/http/context.ts';
import type { NotesHistoryEntry } from '../../shared/people.ts';

/**
 * Names the staff user behind the writes of this transaction. The notes-history trigger
 * (migration 0006) records it as the author; any writer of people's notes should call it.
 */
export async function setWriter(tx: Queryable, userId: string): Promise<void> {
  await sql`select set_config('rapport.user_id', ${userId}, true)`.execute(tx);
}

function checkHistoryCursor(after: string | undefined): string | undefined {
  if (after !== undefined && !/^\d{1,18}$/.test(after)) {
    throw new AppError('validation_failed', 'query.after: must be the `next` cursor of a previous page.', {
      errors: [{ path: 'query.after', message: 'must be the `next` cursor of a previous page.' }],
    });
  }
  return after;
}

/** Every text the person's notes had, newest first (the first one is the current text). */
export async function notesHistoryPage(
  ctx: RequestContext,
  auth: Auth,
  personId: string,
  query: { after?: string | undefined; limit: number },
) {
  const after = checkHistoryCursor(query.after);
  let select = ctx.deps.db
    .selectFrom('person_notes_history as h')
    .leftJoin('users as u', (join) =>
      join.onRef('u.id', '=', 'h.author_id').onRef('u.workspace_id', '=', 'h.workspace_id'),
    )
    .select([
      sql<string>`cast(h.id as text)`.as('id'),
      'h.notes',
      'h.author_id',
      'u.name as author_name',
      'h.created_at',
    ])
    .where('h.workspace_id', '=', auth.workspaceId)
    .where('h.person_id', '=', personId);
  if (after) select = select.where(sql<boolean>`h.id < cast(${after} as bigint)`);
  const rows = await select
    .orderBy('h.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const hasMore = rows.length > query.limit;
  const pageRows = hasMore ? rows.slice(0, query.limit) : rows;
  const data: NotesHistoryEntry[] = pageRows.map((row) => ({
    id: row.id,
    notes: row.notes,
    authorId: row.author_id,
    authorName: row.author_name,
    createdAt: row.created_at.toISOString(),
  }));
  return { data, next: hasMore ? (pageRows.at(-1)?.id ?? null) : null };
}
