import type { Db, Tx } from '../../platform/db/database.ts';
import { type BatchResult, WriteBatcher } from '../../platform/db/write-batcher.ts';
import type { AppDeps } from '../../platform/http/context.ts';
import type { Item } from '../../shared/listening.ts';
import { type NewItemRecord, writeItems } from './create.ts';
import { itemJson } from './output.ts';

/**
 * Writes the items of one workspace and answers each with its API output, built from what was
 * written (the inserted row, the customer's name as read for the checks, the observations as
 * inserted) rather than read back: equal to toItems' read, as tests/api/create-fast-path proves.
 */
export async function writeItemsWithOutput(
  tx: Tx,
  deps: AppDeps,
  records: NewItemRecord[],
): Promise<BatchResult<Item>[]> {
  const results = await writeItems(tx, deps, records);
  return results.map((result) =>
    result.ok
      ? { ok: true, value: itemJson(result.value.row, result.value.personName, result.value.observations) }
      : result,
  );
}

const batchers = new WeakMap<Db, WriteBatcher<NewItemRecord, Item>>();

/** Creates one item, written together with the others arriving at the same time (group commit). */
export function createItemBatched(deps: AppDeps, record: NewItemRecord): Promise<Item> {
  let batcher = batchers.get(deps.db);
  if (!batcher) {
    batcher = new WriteBatcher(deps.db, {
      writeBatch: (tx, records) => writeItemsWithOutput(tx, deps, records),
      // Four, not two like people: an item's insert is heavy on the server (indexes, triggers),
      // so overlapping batches gain more there than bigger batches save in round trips.
      maxInFlight: deps.database.kind === 'postgres' ? 4 : 1,
    });
    batchers.set(deps.db, batcher);
  }
  return batcher.submit(record.workspaceId, record);
}
