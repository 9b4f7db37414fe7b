import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { audit } from '../../platform/audit.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { validationError } from '../../platform/http/problems.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueJob } from '../../platform/jobs/queue.ts';
import {
  createImportFields,
  type ImportDetail,
  type ImportFormat,
  type ImportPreview,
  type ImportSummary,
  importMapping,
} from '../../shared/imports.ts';
import type { ImportDraft } from './draft.ts';
import { importJob, storedFile, storeFile } from './job.ts';
import { compileMapping } from './mapping.ts';
import { draftsOf, FileProblem, openImportFile } from './reader.ts';
import type { ImportRow } from './schema.ts';

/** Uploads larger than this are refused (413). */
export const maxUploadBytes = 512 * 1024 * 1024;
const uploadLimits = {
  limits: { fileSize: maxUploadBytes, files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 12 },
};
const sampleSize = 10;

function requireMultipart(request: FastifyRequest) {
  if (!request.isMultipart()) {
    throw new AppError(
      'unsupported_media_type',
      'Send the file as multipart/form-data with a field named "file".',
    );
  }
}

function tooLarge(): AppError {
  return new AppError(
    'payload_too_large',
    `The file is larger than ${maxUploadBytes / 1024 / 1024} MB; split it into smaller files.`,
  );
}

function formatFromName(name: string): ImportFormat | undefined {
  if (/\.(vcf|vcard)$/i.test(name)) return 'vcard';
  if (/\.(csv|tsv|txt)$/i.test(name)) return 'csv';
  return undefined;
}

/** Reads the first rows of an uploaded file (the web app sends only its first megabyte). */
export async function previewImport(request: FastifyRequest): Promise<ImportPreview> {
  requireMultipart(request);
  let preview: ImportPreview | null = null;
  for await (const part of request.parts(uploadLimits)) {
    if (part.type !== 'file') continue;
    if (part.fieldname !== 'file' || preview) {
      part.file.resume();
      continue;
    }
    const iterator = part.file[Symbol.asyncIterator]();
    // Only `next` is exposed, so that stopping early does not destroy the upload stream.
    const source = {
      [Symbol.asyncIterator]: () => ({ next: () => iterator.next() }),
    } as AsyncIterable<Uint8Array>;
    preview = await previewOf(source, formatFromName(part.filename));
    while (!(await iterator.next()).done) {}
    if (part.file.truncated) throw tooLarge();
  }
  if (!preview) throw new AppError('bad_request', 'Attach the file in a multipart field named "file".');
  return preview;
}

async function previewOf(
  source: AsyncIterable<Uint8Array>,
  format: ImportFormat | undefined,
): Promise<ImportPreview> {
  let file: Awaited<ReturnType<typeof openImportFile>>;
  try {
    file = await openImportFile(source, format);
  } catch (error) {
    if (error instanceof FileProblem) throw new AppError('unprocessable', error.message);
    throw error;
  }
  const problems: ImportPreview['problems'] = [];
  const sampleRows: string[][] = [];
  if (file.csvRecords) {
    for await (const record of file.csvRecords) {
      if (record.error !== undefined) problems.push({ row: record.row, message: record.error });
      else sampleRows.push(record.fields);
      if (sampleRows.length + problems.length >= sampleSize) break;
    }
    const targets = file.suggestedMapping.filter(Boolean);
    if (
      !targets.some((target) => /^(givenName|familyName|displayName|nickname|email|phone)/.test(target ?? ''))
    ) {
      problems.push({
        row: null,
        message: 'No column was recognised as a name, email or phone: choose where each column goes.',
      });
    }
    return { ...summaryOf(file), headers: file.headers, sampleRows, problems };
  }
  const headers = ['Name', 'Emails', 'Phones', 'Organization', 'Job title', 'Stage', 'Tags'];
  const drafts: ImportDraft[] = [];
  for await (const draft of draftsOf(file)) {
    drafts.push(draft);
    if (drafts.length >= sampleSize) break;
  }
  for (const draft of drafts) {
    const person = draft.person;
    sampleRows.push([
      person.displayName ?? [person.givenName, person.familyName].filter(Boolean).join(' '),
      (person.emails ?? []).map((e) => e.value).join('; '),
      (person.phones ?? []).map((p) => p.value).join('; '),
      draft.organizationName ?? '',
      person.jobTitle ?? '',
      person.stage ?? '',
      (person.tags ?? []).join('; '),
    ]);
    if (draft.error) problems.push({ row: draft.row, message: draft.error });
    for (const warning of draft.warnings) problems.push({ row: draft.row, message: warning });
  }
  for (const problem of file.vcardReader?.problems ?? [])
    problems.push({ row: null, message: problem.message });
  if (drafts.length === 0) problems.push({ row: null, message: 'No card was found in this vCard file.' });
  return { ...summaryOf(file), headers, sampleRows, problems };
}

function summaryOf(file: Awaited<ReturnType<typeof openImportFile>>) {
  return {
    format: file.format,
    encoding: file.encoding,
    delimiter: file.delimiter,
    preset: file.preset,
    suggestedMapping: file.suggestedMapping,
  };
}

/**
 * Receives an import: the file is stored in the database in chunks as it streams in (any node
 * can run the job), the first rows are read to check the file and the mapping, then the job is
 * queued. Form fields may come before or after the file.
 */
export async function createImport(ctx: RequestContext, auth: Auth, request: FastifyRequest) {
  requireMultipart(request);
  const db = ctx.deps.db;
  const id = newId();
  const fields: Record<string, string> = {};
  let fileName: string | null = null;
  let size = 0;
  try {
    for await (const part of request.parts(uploadLimits)) {
      if (part.type === 'field') {
        fields[part.fieldname] = String((part as MultipartValue).value);
        continue;
      }
      const file = part as MultipartFile;
      if (file.fieldname !== 'file' || fileName !== null) {
        file.file.resume();
        continue;
      }
      fileName = file.filename || 'upload';
      await db
        .insertInto('imports')
        .values({
          id,
          workspace_id: auth.workspaceId,
          created_by: auth.userId,
          file_name: fileName.slice(0, 500),
          format: formatFromName(fileName) ?? 'csv',
          status: 'uploading',
          dry_run: false,
          on_match: 'skip',
        })
        .execute();
      size = await storeFile(db, id, auth.workspaceId, file.file);
      if (file.file.truncated) throw tooLarge();
    }
    if (fileName === null)
      throw new AppError('bad_request', 'Attach the file in a multipart field named "file".');
    const parsed = createImportFields.safeParse(fields);
    if (!parsed.success) {
      throw validationError(
        parsed.error.issues.map((issue) => ({
          path: `body.${issue.path.join('.')}`,
          message: issue.message,
        })),
      );
    }
    const options = parsed.data;
    const mapping = options.mapping === undefined ? undefined : parseMapping(options.mapping);
    const file = await openStored(ctx, id, options.format);
    const finalMapping = mapping ?? (file.format === 'csv' ? file.suggestedMapping : undefined);
    if (file.format === 'csv' && finalMapping) {
      const { problems } = compileMapping(finalMapping, file.headers);
      if (problems.length) {
        throw new AppError('unprocessable', problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
          errors: problems.map((p) => ({ path: `body.${p.path}`, message: p.message })),
        });
      }
    }
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('imports')
        .set({
          status: 'queued',
          format: file.format,
          encoding: file.encoding,
          preset: file.preset,
          file_size: size,
          mapping: finalMapping ? JSON.stringify(finalMapping) : null,
          dry_run: ['true', '1', 'on'].includes(options.dryRun ?? 'false'),
          on_match: options.onMatch ?? 'skip',
        })
        .where('id', '=', id)
        .execute();
      await enqueueJob(tx, { kind: importJob, payload: { importId: id }, workspaceId: auth.workspaceId });
      await audit(tx, auditContext(ctx), {
        action: 'import.queued',
        entity: 'import',
        entityId: id,
        after: {
          fileName,
          size,
          format: file.format,
          dryRun: options.dryRun,
          onMatch: options.onMatch ?? 'skip',
        },
      });
    });
    return { id };
  } catch (error) {
    if (fileName !== null) await db.deleteFrom('imports').where('id', '=', id).execute();
    throw error;
  }
}

function parseMapping(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw validationError([
      { path: 'body.mapping', message: 'must be JSON: a list of targets or {header: target}.' },
    ]);
  }
  const parsed = importMapping.safeParse(json);
  if (!parsed.success) {
    throw validationError(
      parsed.error.issues.map((issue) => ({
        path: ['body.mapping', ...issue.path].join('.'),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

async function openStored(ctx: RequestContext, id: string, format: ImportFormat | undefined) {
  try {
    return await openImportFile(storedFile(ctx.deps.db, id), format);
  } catch (error) {
    if (error instanceof FileProblem) throw new AppError('unprocessable', error.message);
    throw error;
  }
}

export function importSummaryOf(row: ImportRow): ImportSummary {
  const size = Number(row.file_size);
  return {
    id: row.id,
    fileName: row.file_name,
    format: row.format,
    encoding: row.encoding,
    preset: row.preset,
    dryRun: row.dry_run,
    onMatch: row.on_match,
    status: row.status,
    total: row.total,
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    skipped: row.skipped,
    failed: row.failed,
    warnings: row.warnings,
    organizationsCreated: row.organizations_created,
    progress: row.status === 'done' ? 1 : size > 0 ? Math.min(1, Number(row.bytes_read) / size) : 0,
    message: row.message,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export async function findImport(ctx: RequestContext, auth: Auth, id: string): Promise<ImportRow> {
  const row = await ctx.deps.db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', auth.workspaceId)
    .where('id', '=', id)
    .where('status', '!=', 'uploading')
    .executeTakeFirst();
  if (!row) throw notFound('The import');
  return row;
}

export async function getImport(ctx: RequestContext, auth: Auth, id: string): Promise<ImportDetail> {
  const row = await findImport(ctx, auth, id);
  const errors = await ctx.deps.db
    .selectFrom('import_errors')
    .select(['row', 'severity', 'message'])
    .where('import_id', '=', id)
    .where('workspace_id', '=', auth.workspaceId)
    // Errors first: a long run of skipped rows must not hide a row that failed.
    .orderBy('severity')
    .orderBy('row')
    .limit(100)
    .execute();
  return { ...importSummaryOf(row), errors };
}
