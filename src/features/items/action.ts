import { audit } from '../../platform/audit.ts';
import { publicUrl } from '../../platform/config.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { canTransition, type ItemStatus, itemStatusLabels, itemTransitions } from '../../shared/listening.ts';
import { staleVersion } from '../people/precondition.ts';
import { refreshItemSla } from '../sla/refresh.ts';
import { recordItemEvent } from './events.ts';
import { toItem } from './output.ts';
import { findItem, type ItemChanges, updateItemRow } from './queries.ts';
import type { ItemRow } from './schema.ts';

export interface ActionScope {
  ctx: RequestContext;
  auth: Auth;
  tx: Tx;
  /** The item, locked for the transaction. */
  row: ItemRow;
  now: Date;
  /** Absolute link to the item, for notification emails. */
  link: string;
}

export interface ActionOutcome {
  changes?: ItemChanges;
  /** The item event; omitted when the action recorded its own (escalateItem). */
  event?: { type: string; data: Record<string, unknown> };
  /** The audit action, e.g. item.taken. */
  auditAction: string;
  auditData?: Record<string, unknown>;
  /** The change affects the SLA: recompute due times and pauses. */
  sla?: boolean;
}

export const itemLink = (ctx: RequestContext, itemId: string) =>
  `${publicUrl(ctx.deps.config, ctx.origin)}/items/${itemId}`;

const label = (status: ItemStatus) => itemStatusLabels[status].toLowerCase();

/** 409 unless the lifecycle allows the change, naming the current status and what is allowed. */
export function requireTransition(row: ItemRow, to: ItemStatus) {
  if (canTransition(row.status, to)) return;
  const allowed = itemTransitions[row.status].map(label).join(', ');
  throw new AppError(
    'conflict',
    `This item is ${label(row.status)}; it cannot become ${label(to)}. From ${label(row.status)} it can become: ${allowed}.`,
  );
}

/** 409 for work on a closed item: it has to be reopened first. */
export function requireNotClosed(row: ItemRow, what: string) {
  if (row.status === 'closed') {
    throw new AppError('conflict', `This item is closed: reopen it before you ${what}.`);
  }
}

/**
 * Runs an action on one item: one transaction, the row locked `for update` (concurrent actions
 * queue and see each other's result), the optional version checked, then the changes written
 * with the version bumped, the item event and the audit entry recorded, and the SLA refreshed
 * when it is affected. `run` returns null to change nothing (e.g. taking an item one owns).
 */
export async function runItemAction(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  version: number | undefined,
  run: (scope: ActionScope) => Promise<ActionOutcome | null>,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findItem(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The item');
    if (version !== undefined && row.version !== version)
      throw staleVersion('this item', version, row.version);
    const now = nowOf(ctx.deps);
    const outcome = await run({ ctx, auth, tx, row, now, link: itemLink(ctx, id) });
    if (!outcome) return toItem(tx, auth.workspaceId, row);
    const changes = outcome.changes ?? {};
    let updated = await updateItemRow(tx, auth.workspaceId, id, { ...changes, updated_at: now });
    if (outcome.event) {
      await recordItemEvent(tx, {
        workspaceId: auth.workspaceId,
        itemId: id,
        type: outcome.event.type,
        actor: actorOf(auth),
        data: outcome.event.data,
        at: now,
      });
    }
    const before = Object.fromEntries(Object.keys(changes).map((key) => [key, row[key as keyof ItemRow]]));
    await audit(tx, auditContext(ctx), {
      action: outcome.auditAction,
      entity: 'item',
      entityId: id,
      before,
      after: { ...changes, ...outcome.auditData },
    });
    if (outcome.sla) {
      await refreshItemSla(tx, auth.workspaceId, id, now);
      updated = (await findItem(tx, auth.workspaceId, id))!;
    }
    return toItem(tx, auth.workspaceId, updated);
  });
}
