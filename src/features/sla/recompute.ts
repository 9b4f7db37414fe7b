import type { Queryable } from '../../platform/db/database.ts';
import { type AppDeps, nowOf } from '../../platform/http/context.ts';
import { enqueueJob } from '../../platform/jobs/queue.ts';
import { openStatuses } from '../../shared/listening.ts';
import { refreshItemsSla } from './refresh.ts';
import { loadWorkspaceSlaSettings } from './settings.ts';

const batchSize = 500;
/** Up to this many open items are recomputed in the request that changed the settings. */
const inlineLimit = 2_000;

/** Open items of a workspace; in id order (keyset pages along items_recent_idx) unless `anyOrder`. */
async function openItemIds(
  db: Queryable,
  workspaceId: string,
  after: string | null,
  limit: number,
  anyOrder = false,
) {
  let query = db
    .selectFrom('items')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', [...openStatuses])
    .where('merged_into_id', 'is', null)
    .limit(limit);
  if (!anyOrder) query = query.orderBy('id');
  if (after) query = query.where('id', '>', after);
  return (await query.execute()).map((row) => row.id);
}

/**
 * After SLA policies, business hours or escalation rules change: recomputes the due times of
 * the workspace's open items in this transaction when there are few, else queues a job.
 */
export async function recomputeAfterSettingsChange(
  tx: Queryable,
  workspaceId: string,
  now: Date,
): Promise<{ recomputedItems: number; queued: boolean }> {
  const ids = await openItemIds(tx, workspaceId, null, inlineLimit + 1, true);
  if (ids.length > inlineLimit) {
    await enqueueJob(tx, { kind: 'sla.recompute', workspaceId, payload: { workspaceId } });
    return { recomputedItems: 0, queued: true };
  }
  const settings = await loadWorkspaceSlaSettings(tx, workspaceId);
  let recomputed = 0;
  for (let start = 0; start < ids.length; start += batchSize) {
    recomputed += await refreshItemsSla(tx, workspaceId, ids.slice(start, start + batchSize), now, settings);
  }
  return { recomputedItems: recomputed, queued: false };
}

/** The recompute job: every open item of a workspace, a batch per transaction. */
export async function recomputeOpenItems(deps: AppDeps, workspaceId: string): Promise<number> {
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const ids = await openItemIds(deps.db, workspaceId, after, batchSize);
    if (ids.length === 0) break;
    total += await deps.db.transaction().execute((tx) => refreshItemsSla(tx, workspaceId, ids, nowOf(deps)));
    after = ids.at(-1)!;
    if (ids.length < batchSize) break;
  }
  return total;
}
