import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { checkCursor, toPage } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import type { MergeDetail, MergeFieldChoices, MergeResult, UndoResult } from '../../shared/merges.ts';
import { personColumns, unprocessable } from '../people/normalize.ts';
import { staleVersion } from '../people/precondition.ts';
import { findPerson, personOutput, stateOf, updatePersonRow } from '../people/queries.ts';
import { combinePeople } from './combine.ts';
import {
  findMerge,
  listMerges,
  lockPeople,
  markMerged,
  mergeSummaryOutput,
  restorePersonRow,
} from './queries.ts';
import { moveReferences, restoreReferences } from './references.ts';
import type { MovedReferences } from './schema.ts';

export interface MergeRequest {
  survivorId: string;
  otherId: string;
  fields: MergeFieldChoices;
  version: number | undefined;
  otherVersion: number | undefined;
}

/** The notes-history trigger (0006) records who wrote the notes from this setting. */
async function setAuthor(tx: Queryable, userId: string) {
  await sql`select set_config('rapport.user_id', ${userId}, true)`.execute(tx);
}

export async function mergePeople(
  ctx: RequestContext,
  auth: Auth,
  input: MergeRequest,
): Promise<MergeResult> {
  const { survivorId, otherId } = input;
  if (survivorId.toLowerCase() === otherId.toLowerCase()) {
    throw unprocessable([{ path: 'body.otherId', message: 'is the person itself; choose another person.' }]);
  }
  return ctx.deps.db.transaction().execute(async (tx) => {
    const locked = await lockPeople(tx, auth.workspaceId, [survivorId, otherId]);
    const survivor = locked.get(survivorId);
    const other = locked.get(otherId);
    if (!survivor) throw notFound('The person');
    if (survivor.deleted_at) {
      if (survivor.merged_into) {
        throw new AppError(
          'conflict',
          `This person was merged into person ${survivor.merged_into}; merge into that person instead.`,
        );
      }
      throw notFound('The person');
    }
    if (!other || other.deleted_at) {
      if (other?.merged_into === survivorId) {
        throw new AppError('conflict', 'The other person is already merged into this one.');
      }
      throw notFound('The other person (otherId)');
    }
    if (input.version !== undefined && input.version !== survivor.version) {
      throw staleVersion('this person', input.version, survivor.version);
    }
    if (input.otherVersion !== undefined && input.otherVersion !== other.version) {
      throw staleVersion('the other person', input.otherVersion, other.version);
    }
    await setAuthor(tx, auth.userId);
    const before = { survivor: personOutput(survivor), other: personOutput(other) };
    const state = combinePeople(stateOf(survivor), stateOf(other), input.fields);
    const updated = await updatePersonRow(tx, auth.workspaceId, survivorId, {
      ...personColumns(state),
      updated_at: new Date(),
    });
    const mergedVersion = await markMerged(tx, auth.workspaceId, otherId, survivorId);
    const moved = await moveReferences(tx, auth.workspaceId, otherId, survivorId);
    const merge = await tx
      .insertInto('merges')
      .values({
        id: newId(),
        workspace_id: auth.workspaceId,
        survivor_id: survivorId,
        merged_id: otherId,
        survivor_name: survivor.display_name,
        merged_name: other.display_name,
        survivor_before: JSON.stringify(survivor.snapshot),
        merged_before: JSON.stringify(other.snapshot),
        survivor_version: updated.version,
        merged_version: mergedVersion,
        fields: JSON.stringify(input.fields),
        moved: JSON.stringify(moved),
        created_by: auth.userId,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    const person = personOutput(updated);
    await audit(tx, auditContext(ctx), {
      action: 'person.merged',
      entity: 'person',
      entityId: survivorId,
      before,
      after: {
        person,
        mergedId: otherId,
        mergeId: merge.id,
        fields: input.fields,
        references: counts(moved),
      },
    });
    return {
      merge: { id: merge.id, survivorId, mergedId: otherId, createdAt: merge.created_at.toISOString() },
      person,
    };
  });
}

function counts(moved: MovedReferences) {
  return Object.fromEntries(
    Object.entries(moved).map(([table, record]) => [
      table,
      { moved: record.moved.length, deleted: record.deleted.length },
    ]),
  );
}

/**
 * Puts both people back exactly as they were before the merge and moves the references back.
 * Refused when either person changed since the merge: undo would silently throw those changes away.
 */
export async function undoMerge(ctx: RequestContext, auth: Auth, mergeId: string): Promise<UndoResult> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const merge = await findMerge(tx, auth.workspaceId, mergeId, true);
    if (!merge) throw notFound('The merge');
    if (merge.undone_at) {
      throw new AppError('conflict', `This merge was already undone (${merge.undone_at.toISOString()}).`);
    }
    const locked = await lockPeople(tx, auth.workspaceId, [merge.survivor_id, merge.merged_id]);
    const survivor = locked.get(merge.survivor_id);
    const merged = locked.get(merge.merged_id);
    if (!survivor || !merged) {
      throw new AppError(
        'gone',
        'One of the two people was permanently removed (30 days after deletion); this merge cannot be undone.',
      );
    }
    if (survivor.version !== merge.survivor_version) {
      throw new AppError(
        'conflict',
        `${survivor.display_name} was changed after the merge (version ${merge.survivor_version} → ${survivor.version}` +
          `${survivor.deleted_at ? ', and deleted' : ''}). Undoing would overwrite those changes, so it is refused; ` +
          'edit the person by hand instead.',
      );
    }
    if (merged.version !== merge.merged_version || merged.merged_into !== merge.survivor_id) {
      throw new AppError(
        'conflict',
        `${merged.display_name} (the merged person) was changed or restored after the merge; undoing would overwrite that, so it is refused.`,
      );
    }
    await setAuthor(tx, auth.userId);
    await restorePersonRow(tx, auth.workspaceId, merge.survivor_before);
    await restorePersonRow(tx, auth.workspaceId, merge.merged_before);
    await restoreReferences(tx, auth.workspaceId, merge.merged_id, merge.survivor_id, merge.moved);
    const undone = await tx
      .updateTable('merges')
      .set({ undone_at: new Date(), undone_by: auth.userId })
      .where('id', '=', merge.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const person = await findPerson(tx, auth.workspaceId, merge.survivor_id);
    const other = await findPerson(tx, auth.workspaceId, merge.merged_id);
    if (!person || !other) throw new AppError('conflict', 'A person of this merge was deleted before it.');
    const result = {
      merge: mergeSummaryOutput(undone),
      person: personOutput(person),
      other: personOutput(other),
    };
    await audit(tx, auditContext(ctx), {
      action: 'person.merge_undone',
      entity: 'person',
      entityId: merge.survivor_id,
      before: { person: personOutput(survivor), mergeId: merge.id },
      after: { person: result.person, other: result.other, mergeId: merge.id },
    });
    return result;
  });
}

export async function listMergesPage(
  ctx: RequestContext,
  auth: Auth,
  query: { after?: string | undefined; limit: number },
) {
  const rows = await listMerges(ctx.deps.db, auth.workspaceId, checkCursor(query.after), query.limit);
  return toPage(rows, query.limit, mergeSummaryOutput);
}

export async function getMerge(ctx: RequestContext, auth: Auth, id: string): Promise<MergeDetail> {
  const row = await findMerge(ctx.deps.db, auth.workspaceId, id);
  if (!row) throw notFound('The merge');
  return { ...mergeSummaryOutput(row), fields: row.fields, references: counts(row.moved) };
}
