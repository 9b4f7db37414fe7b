import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { type AuditContext, audit, systemActor } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { JobRow } from '../../platform/db/tables.ts';
import type { AppDeps } from '../../platform/http/context.ts';
import type { ImportMapping } from '../../shared/imports.ts';
import { listDefinitions } from '../custom-fields/queries.ts';
import { workspaceRegion } from '../people/queries.ts';
import { type BatchContext, prepareBatch, writeBatch } from './batch.ts';
import type { ImportDraft } from './draft.ts';
import { draftsOf, FileProblem, openImportFile } from './reader.ts';

export const importJob = 'people.import';
/** Rows per batch: one transaction, one match query, one write statement, one audit entry. */
export const importBatchSize = 2000;
/** Size of the pieces an upload is stored in. */
export const fileChunkBytes = 1024 * 1024;

/** Stores an upload in ~1 MB rows as it streams in; returns its size in bytes. */
export async function storeFile(
  db: Db,
  importId: string,
  workspaceId: string,
  stream: Readable | AsyncIterable<Uint8Array>,
): Promise<number> {
  let seq = 0;
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await db
      .insertInto('import_files')
      .values({ import_id: importId, workspace_id: workspaceId, seq, data })
      .execute();
    seq++;
  };
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    pendingBytes += chunk.byteLength;
    size += chunk.byteLength;
    if (pendingBytes >= fileChunkBytes) await flush();
  }
  await flush();
  return size;
}

/** The stored file, one chunk at a time (never whole in memory). */
export async function* storedFile(db: Db, importId: string, onRead?: (bytes: number) => void) {
  for (let seq = 0; ; seq++) {
    const row = await db
      .selectFrom('import_files')
      .select('data')
      .where('import_id', '=', importId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!row) return;
    onRead?.(row.data.byteLength);
    yield row.data;
  }
}

function auditContextOf(row: { created_by: string | null; workspace_id: string }): AuditContext {
  return {
    actor: row.created_by ? { type: 'user', id: row.created_by, userId: row.created_by } : systemActor,
    workspaceId: row.workspace_id,
    requestId: null,
  };
}

/** Final status and counts, the stored file deleted, one audit entry for the whole import. */
async function finish(
  db: Db,
  importId: string,
  values: { status: 'done' | 'failed'; message?: string | null },
) {
  await db.transaction().execute(async (tx) => {
    const done = await tx
      .updateTable('imports')
      .set({
        status: values.status,
        message: values.message ?? null,
        total: sql`processed`,
        bytes_read: sql`file_size`,
        finished_at: new Date(),
      })
      .where('id', '=', importId)
      .returningAll()
      .executeTakeFirst();
    await tx.deleteFrom('import_files').where('import_id', '=', importId).execute();
    if (done && !done.dry_run) {
      await audit(tx, auditContextOf(done), {
        action: values.status === 'done' ? 'import.finished' : 'import.failed',
        entity: 'import',
        entityId: importId,
        after: {
          fileName: done.file_name,
          total: done.total,
          created: done.created,
          updated: done.updated,
          skipped: done.skipped,
          failed: done.failed,
          organizationsCreated: done.organizations_created,
          message: done.message,
        },
      });
    }
  });
}

/**
 * Runs (or resumes) one import: reads the stored file as a stream, sends its rows through the
 * batch path 2,000 at a time (the next batch read and validated while one writes), and finishes
 * with a report. Rows up to `committed_row` were written by an earlier attempt and are read
 * past, so a retry creates no duplicates.
 * This is the function benchmarks call.
 */
export async function runImport(
  deps: Pick<AppDeps, 'db'>,
  importId: string,
  options: { batchSize?: number; afterBatch?: (lastRow: number) => void } = {},
): Promise<void> {
  const batchSize = options.batchSize ?? importBatchSize;
  const { db } = deps;
  const row = await db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirst();
  if (!row || row.status === 'done' || row.status === 'failed' || row.status === 'uploading') return;
  await db
    .updateTable('imports')
    .set({ status: 'running', started_at: row.started_at ?? new Date() })
    .where('id', '=', importId)
    .execute();
  let bytesRead = 0;
  let file: Awaited<ReturnType<typeof openImportFile>>;
  try {
    file = await openImportFile(
      storedFile(db, importId, (bytes) => {
        bytesRead += bytes;
      }),
      row.format,
    );
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    await finish(db, importId, { status: 'failed', message: error.message });
    return;
  }
  const ctx: BatchContext = {
    db,
    importId,
    workspaceId: row.workspace_id,
    region: await workspaceRegion(db, row.workspace_id),
    onMatch: row.on_match,
    dryRun: row.dry_run,
    audit: auditContextOf(row),
    dryRunKeys: new Set(),
    skipNotices: 0,
    dryRunOrganizations: new Set(),
    definitions: await listDefinitions(db, row.workspace_id, 'person'),
  };
  await db.updateTable('imports').set({ encoding: file.encoding }).where('id', '=', importId).execute();
  // Batch N + 1 is read, validated and normalized while batch N writes: on PostgreSQL the
  // server works while this process computes. Writes stay one at a time, in file order, so
  // each batch matches the people the batches before it created.
  let writing: Promise<void> = Promise.resolve();
  const write = async (batch: ImportDraft[], lastRow: number) => {
    const prepared = prepareBatch(ctx, batch);
    const bytes = bytesRead;
    await writing;
    writing = writeBatch(ctx, prepared, bytes).then(() => options.afterBatch?.(lastRow));
    // Awaited before the next write or at the end; a failure must not count as unhandled meanwhile.
    writing.catch(() => {});
  };
  let batch: ImportDraft[] = [];
  for await (const draft of draftsOf(file, (row.mapping as ImportMapping | null) ?? undefined)) {
    if (draft.row <= row.committed_row) continue;
    batch.push(draft);
    if (batch.length >= batchSize) {
      await write(batch, draft.row);
      batch = [];
    }
  }
  if (batch.length > 0) await write(batch, batch.at(-1)!.row);
  await writing;
  const problems = file.vcardReader?.problems ?? [];
  if (file.format === 'vcard' && file.vcardReader?.cardsSeen === 0) {
    await finish(db, importId, { status: 'failed', message: 'No card was found in this vCard file.' });
    return;
  }
  await finish(db, importId, {
    status: 'done',
    message: problems.map((p) => `${p.path}: ${p.message}`).join(' ') || null,
  });
  // Fresh planner statistics after a large change (PGlite has no autovacuum to do it).
  if (!row.dry_run) await sql`analyze people, organizations`.execute(db);
}

/** The job handler: on the last attempt, a failure marks the import failed instead of leaving it running. */
export async function importJobHandler(job: JobRow, deps: AppDeps): Promise<void> {
  const { importId } = job.payload as { importId?: string };
  if (!importId) throw new Error('payload.importId is missing');
  try {
    await runImport(deps, importId);
  } catch (error) {
    if (job.attempts >= job.max_attempts) {
      await finish(deps.db, importId, {
        status: 'failed',
        message: `The import stopped: ${(error as Error).message}. The rows counted as processed were imported.`,
      });
    }
    throw error;
  }
}
