import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { type AddItemTimeInput, maxRecordedMinutes, type SetItemTimeInput } from '../../shared/item-time.ts';
import type { Item } from '../../shared/listening.ts';
import { staleVersion } from '../people/precondition.ts';
import { recordItemEvent } from './events.ts';
import { toItem } from './output.ts';
import { findItem } from './queries.ts';
import type { ItemRow } from './schema.ts';

type TimeChange =
  | { type: 'time_recorded'; minutes: number }
  | { type: 'time_corrected'; total: number | null; reason: string };

/**
 * Writes the item's recorded handling minutes in one transaction with its event and audit entry.
 * An entry is added in SQL (coalesce + n) on the locked row, so entries made at the same moment
 * all count. Any status: time spent after closing (a late call) still costs.
 */
async function changeTime(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  version: number | undefined,
  change: TimeChange,
): Promise<Item> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findItem(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The item');
    if (version !== undefined && row.version !== version)
      throw staleVersion('this item', version, row.version);
    const before = row.handling_minutes;
    if (change.type === 'time_recorded' && (before ?? 0) + change.minutes > maxRecordedMinutes) {
      const message = `would bring the total above ${maxRecordedMinutes.toLocaleString('en')} minutes; correct the total instead`;
      throw new AppError('validation_failed', `body.minutes: ${message}`, {
        errors: [{ path: 'body.minutes', message }],
      });
    }
    const now = nowOf(ctx.deps);
    const next =
      change.type === 'time_recorded'
        ? sql<number>`coalesce(handling_minutes, 0) + ${change.minutes}::int`
        : sql<number | null>`${change.total}::int`;
    const updated = (await tx
      .updateTable('items')
      .set({ handling_minutes: next, updated_at: now, version: sql<number>`version + 1` })
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as ItemRow;
    const data =
      change.type === 'time_recorded'
        ? { minutes: change.minutes, totalMinutes: updated.handling_minutes }
        : { totalMinutes: updated.handling_minutes, previousMinutes: before, reason: change.reason };
    await recordItemEvent(tx, {
      workspaceId: auth.workspaceId,
      itemId: id,
      type: change.type,
      actor: actorOf(auth),
      data,
      at: now,
    });
    await audit(tx, auditContext(ctx), {
      action: change.type === 'time_recorded' ? 'item.time_recorded' : 'item.time_corrected',
      entity: 'item',
      entityId: id,
      before: { handlingMinutes: before },
      after: data,
    });
    return toItem(tx, auth.workspaceId, updated);
  });
}

/** Adds the minutes a staff user spent on the item to its recorded handling time. */
export function recordItemTime(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: AddItemTimeInput,
  version?: number,
) {
  return changeTime(ctx, auth, id, version, { type: 'time_recorded', minutes: input.minutes });
}

/** Replaces the recorded total (a correction), with the reason in the history. */
export function correctItemTime(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: SetItemTimeInput,
  version?: number,
) {
  return changeTime(ctx, auth, id, version, {
    type: 'time_corrected',
    total: input.totalMinutes,
    reason: input.reason,
  });
}
