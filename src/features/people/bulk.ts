import { type RawBuilder, sql } from 'kysely';
import type { AuditContext } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { redactSecrets } from '../../platform/redact.ts';
import { type BulkPeopleInput, normalizeTags } from '../../shared/people.ts';
import { derivedColumns } from './normalize.ts';
import { setWriter } from './notes-history.ts';
import { restoreWindowDays } from './precondition.ts';
import { type PersonRowWithBirthday, stateOf, userExists } from './queries.ts';

const birthdayText = sql<string | null>`to_char(birthday, 'YYYY-MM-DD')`.as('birthday_text');

/** The fields each action changes: what goes into the audit entries. */
function changedFields(row: PersonRowWithBirthday) {
  return {
    tags: row.tags,
    ownerId: row.owner_id,
    stage: row.stage,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    version: row.version,
  };
}

/**
 * Applies one action to up to 1000 people in one transaction: the rows are locked and checked
 * (an unknown, foreign or wrong-state id refuses the whole request), changed by one set-based
 * UPDATE, and audited with one entry per person inserted by one statement.
 */
export async function bulkUpdatePeople(ctx: RequestContext, auth: Auth, input: BulkPeopleInput) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const deletedOnes = input.action === 'restore';
    const rows = await tx
      .selectFrom('people')
      .selectAll()
      .select(birthdayText)
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', 'in', input.ids)
      .where('deleted_at', deletedOnes ? 'is not' : 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    const found = new Set(rows.map((row) => row.id));
    const missing = input.ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      const what = deletedOnes ? 'deleted people' : 'people';
      throw new AppError(
        'unprocessable',
        `${missing.length} of the ids are not ${what} of this workspace; nothing was changed: ${missing.join(', ')}`,
        { errors: missing.map((id) => ({ path: 'body.ids', message: `${id} is not one of the ${what}.` })) },
      );
    }
    const tooOld = rows.filter(
      (row) =>
        deletedOnes &&
        row.deleted_at &&
        Date.now() - row.deleted_at.getTime() > restoreWindowDays * 86_400_000,
    );
    if (tooOld.length > 0) {
      throw new AppError(
        'gone',
        `${tooOld.length} of these people were deleted more than ${restoreWindowDays} days ago; nothing was changed.`,
      );
    }
    if (
      input.action === 'setOwner' &&
      input.ownerId &&
      !(await userExists(tx, auth.workspaceId, input.ownerId))
    ) {
      throw new AppError('unprocessable', 'body.ownerId: is not a staff user of this workspace.', {
        errors: [{ path: 'body.ownerId', message: 'is not a staff user of this workspace.' }],
      });
    }
    await setWriter(tx, auth.userId);
    const updated = await applyAction(tx, auth.workspaceId, input, rows);
    const before = new Map(rows.map((row) => [row.id, changedFields(row)]));
    await auditEach(
      tx,
      auditContext(ctx),
      updated.map((row) => ({
        action: `person.bulk_${input.action}`,
        entityId: row.id,
        before: before.get(row.id),
        after: changedFields(row),
      })),
    );
    return { affected: updated.length, ids: updated.map((row) => row.id) };
  });
}

function applyAction(
  tx: Queryable,
  workspaceId: string,
  input: BulkPeopleInput,
  rows: PersonRowWithBirthday[],
): Promise<PersonRowWithBirthday[]> {
  const ids = rows.map((row) => row.id);
  const now = new Date();
  let set: Record<string, RawBuilder<unknown> | Date | null | string> = {};
  switch (input.action) {
    case 'addTags':
    case 'removeTags':
      return updateTags(tx, workspaceId, input, rows);
    case 'setOwner':
      set = { owner_id: input.ownerId ?? null, updated_at: now };
      break;
    case 'setStage':
      set = { stage: input.stage ?? 'prospect', updated_at: now };
      break;
    case 'delete':
      set = { deleted_at: now };
      break;
    case 'restore':
      set = { deleted_at: null, updated_at: now };
      break;
  }
  return tx
    .updateTable('people')
    .set({ ...set, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .returningAll()
    .returning(birthdayText)
    .execute();
}

/** Tags are part of the search text, which is computed here; one UPDATE … FROM sets every row. */
async function updateTags(
  tx: Queryable,
  workspaceId: string,
  input: BulkPeopleInput,
  rows: PersonRowWithBirthday[],
) {
  const tags = normalizeTags(input.tags ?? []);
  const changes = rows.map((row) => {
    const state = stateOf(row);
    state.tags =
      input.action === 'addTags'
        ? [...state.tags, ...tags.filter((tag) => !state.tags.includes(tag))]
        : state.tags.filter((tag) => !tags.includes(tag));
    return { id: row.id, tags: state.tags, search_text: derivedColumns(state).search_text };
  });
  const result = await sql<PersonRowWithBirthday>`
    update people set tags = v.tags, search_text = v.search_text,
      version = people.version + 1, updated_at = now()
    from jsonb_to_recordset(cast(${JSON.stringify(changes)} as jsonb)) as v(id uuid, tags text[], search_text text)
    where people.workspace_id = ${workspaceId} and people.id = v.id
    returning people.*, to_char(people.birthday, 'YYYY-MM-DD') as birthday_text`.execute(tx);
  return result.rows;
}

/** One audit entry per record, in one INSERT. */
async function auditEach(
  tx: Queryable,
  context: AuditContext,
  entries: { action: string; entityId: string; before: unknown; after: unknown }[],
) {
  if (entries.length === 0) return;
  await tx
    .insertInto('audit_log')
    .values(
      entries.map((entry) => ({
        id: newId(),
        workspace_id: context.workspaceId,
        actor_type: context.actor.type,
        actor_id: context.actor.userId,
        action: entry.action,
        entity: 'person',
        entity_id: entry.entityId,
        before: JSON.stringify(redactSecrets(entry.before)),
        after: JSON.stringify(redactSecrets(entry.after)),
        request_id: context.requestId,
      })),
    )
    .execute();
}
