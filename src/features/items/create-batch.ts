import type { Db, Tx } from '../../platform/db/database.ts';
import { type BatchResult, WriteBatcher } from '../../platform/db/write-batcher.ts';
import type { AppDeps } from '../../platform/http/context.ts';
import type { Item } from '../../shared/listening.ts';
import { type NewItemRecord, writeItems } from './create.ts';
import { toItems } from './output.ts';

/** Writes the items of one workspace and answers each with its API output (one read for all). */
async function writeItemsWithOutput(
  tx: Tx,
  deps: AppDeps,
  records: NewItemRecord[],
): Promise<BatchResult<Item>[]> {
  const results = await writeItems(tx, deps, records);
  const rows = results.flatMap((result) => (result.ok ? [result.value] : []));
  const outputs = new Map((await toItems(tx, records[0]!.workspaceId, rows)).map((item) => [item.id, item]));
  return results.map((result) =>
    result.ok ? { ok: true, value: outputs.get(result.value.id)! } : (result as BatchResult<Item>),
  );
}

const batchers = new WeakMap<Db, WriteBatcher<NewItemRecord, Item>>();

/** Creates one item, written together with the others arriving at the same time (group commit). */
export function createItemBatched(deps: AppDeps, record: NewItemRecord): Promise<Item> {
  let batcher = batchers.get(deps.db);
  if (!batcher) {
    batcher = new WriteBatcher(deps.db, {
      writeBatch: (tx, records) => writeItemsWithOutput(tx, deps, records),
      maxInFlight: deps.database.kind === 'postgres' ? 4 : 1,
    });
    batchers.set(deps.db, batcher);
  }
  return batcher.submit(record.workspaceId, record);
}
