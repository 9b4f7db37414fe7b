import type { Queryable } from '../../platform/db/database.ts';

/**
 * Recomputes an item's SLA columns (due times, pause, breaches, next check) from its current
 * state. Call it in the transaction of any change that affects the SLA: creation, kind or
 * priority change, first staff reply, waiting on customer and back, resolve, close, reopen.
 *
 * PLACEHOLDER: the SLA work replaces this body; until then items carry no due times.
 */
export async function refreshItemSla(
  _tx: Queryable,
  _workspaceId: string,
  _itemId: string,
  _now: Date,
): Promise<void> {}
