import { audit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { type LadderLevel, ladderLevelLabels } from '../../shared/listening.ts';
import { notify } from '../notifications/notify.ts';
import { unprocessable } from '../people/normalize.ts';
import { staleVersion } from '../people/precondition.ts';
import { requireNotClosed, requireTransition, runItemAction } from './action.ts';
import { escalateItem } from './escalate.ts';
import { toItem } from './output.ts';
import { findActiveUser, findItem, userName } from './queries.ts';
import { reopenInTransaction } from './reopen.ts';
import type { ItemRow } from './schema.ts';

/** Statuses in which taking an item means starting work on it. */
const notStarted = new Set<ItemRow['status']>(['new', 'acknowledged', 'reopened']);

/**
 * The caller becomes the owner. Of two agents taking the item at once, the second waits for the
 * row lock, then finds the first one's name on it and gets 409. Taking one's own item is a no-op.
 */
export function takeItem(ctx: RequestContext, auth: Auth, id: string, version?: number) {
  return runItemAction(ctx, auth, id, version, async ({ tx, row }) => {
    requireNotClosed(row, 'take it');
    if (row.owner_id === auth.userId) return null;
    if (row.owner_id) {
      const owner = (await userName(tx, auth.workspaceId, row.owner_id)) ?? 'Someone else';
      throw new AppError(
        'conflict',
        `${owner} owns this item already. Ask them, or have someone with the assign permission reassign it.`,
      );
    }
    const me = await findActiveUser(tx, auth.workspaceId, auth.userId);
    return {
      changes: {
        owner_id: auth.userId,
        ...(row.team_id === null && me?.team_id ? { team_id: me.team_id } : {}),
        ...(notStarted.has(row.status) ? { status: 'in_progress' as const } : {}),
      },
      event: {
        type: 'taken',
        data: {
          ownerId: auth.userId,
          ...(notStarted.has(row.status) ? { from: row.status, to: 'in_progress' } : {}),
        },
      },
      auditAction: 'item.taken',
    };
  });
}

/** Gives the item to an active user of the workspace and notifies them (in-app and email). */
export function assignItem(ctx: RequestContext, auth: Auth, id: string, userId: string, version?: number) {
  return runItemAction(ctx, auth, id, version, async ({ tx, row, link }) => {
    requireNotClosed(row, 'assign it');
    const assignee = await findActiveUser(tx, auth.workspaceId, userId);
    if (!assignee) {
      throw unprocessable([{ path: 'body.userId', message: 'is not an active user of this workspace.' }]);
    }
    if (row.owner_id === userId) return null;
    await notify(tx, {
      workspaceId: auth.workspaceId,
      userIds: [userId],
      type: 'assignment',
      title: `#${row.ref} assigned to you: ${row.subject}`,
      body: row.body.slice(0, 1000),
      itemId: id,
      link,
      exceptUserId: auth.userId,
    });
    return {
      changes: {
        owner_id: userId,
        ...(row.team_id === null && assignee.team_id ? { team_id: assignee.team_id } : {}),
      },
      event: { type: 'assigned', data: { ownerId: userId, previousOwnerId: row.owner_id } },
      auditAction: 'item.assigned',
    };
  });
}

export function escalateItemByHand(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: { level: Exclude<LadderLevel, 'agent'>; reason: string },
  version?: number,
) {
  return runItemAction(ctx, auth, id, version, async ({ tx, row, now, link }) => {
    requireNotClosed(row, 'escalate it');
    const raised = await escalateItem(tx, {
      workspaceId: auth.workspaceId,
      itemId: id,
      level: input.level,
      reason: input.reason,
      actor: actorOf(auth),
      cause: 'manual',
      at: now,
      link,
    });
    if (!raised) {
      throw new AppError(
        'conflict',
        `This item is already at the ${ladderLevelLabels[row.escalation_level]} level; ` +
          `the ladder only goes up, so escalate it to a level above ${ladderLevelLabels[row.escalation_level]}.`,
      );
    }
    return {
      auditAction: 'item.escalated',
      auditData: { from: row.escalation_level, to: input.level, reason: input.reason },
    };
  });
}

export function resolveItem(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  resolution: string,
  version?: number,
) {
  return runItemAction(ctx, auth, id, version, async ({ row, now }) => {
    requireTransition(row, 'resolved');
    return {
      changes: { status: 'resolved', resolved_at: now, resolution },
      event: { type: 'resolved', data: { from: row.status, resolution } },
      auditAction: 'item.resolved',
      sla: true,
    };
  });
}

/** What still stands between an item and closing, as one sentence; null when nothing does. */
export function missingForClosing(row: Pick<ItemRow, 'informed_at' | 'thanked_at'>): string | null {
  const informed = row.informed_at !== null;
  const thanked = row.thanked_at !== null;
  if (informed && thanked) return null;
  if (!informed && !thanked) {
    return 'The customer has not been informed of the outcome nor thanked yet: inform and thank them, or give a reason for closing without it.';
  }
  if (!informed) {
    return 'The customer has not been informed of the outcome yet: inform them, or give a reason for closing without it.';
  }
  return 'The customer has not been thanked yet: thank them, or give a reason for closing without it.';
}

/** Closes a resolved item once the loop is closed (informed and thanked), or with a reason. */
export function closeItem(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  reason: string | undefined,
  version?: number,
) {
  return runItemAction(ctx, auth, id, version, async ({ row, now }) => {
    requireTransition(row, 'closed');
    const missing = missingForClosing(row);
    if (missing && !reason) throw new AppError('conflict', missing);
    return {
      changes: { status: 'closed', closed_at: now, close_reason: reason ?? null },
      event: { type: 'closed', data: reason ? { reason, withoutLoop: missing !== null } : {} },
      auditAction: 'item.closed',
      sla: true,
    };
  });
}

/** Reopens a resolved or closed item; informing and thanking start over. */
export async function reopenItem(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  reason: string | undefined,
  version?: number,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findItem(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The item');
    if (version !== undefined && row.version !== version)
      throw staleVersion('this item', version, row.version);
    requireTransition(row, 'reopened');
    const now = nowOf(ctx.deps);
    await reopenInTransaction(tx, {
      workspaceId: auth.workspaceId,
      itemId: id,
      actor: actorOf(auth),
      reason: reason ?? null,
      now,
    });
    await audit(tx, auditContext(ctx), {
      action: 'item.reopened',
      entity: 'item',
      entityId: id,
      before: { status: row.status },
      after: { status: 'reopened', reason: reason ?? null },
    });
    return toItem(tx, auth.workspaceId, (await findItem(tx, auth.workspaceId, id))!);
  });
}
