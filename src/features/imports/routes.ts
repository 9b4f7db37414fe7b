import { Readable } from 'node:stream';
import { requireAuth } from '../../platform/http/context.ts';
import { checkCursor, toPage } from '../../platform/http/pagination.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams, page } from '../../shared/common.ts';
import { importDetail, importPreview, importSummary, listImportsQuery } from '../../shared/imports.ts';
import { csvLine } from './csv.ts';
import { createImport, findImport, getImport, importSummaryOf, previewImport } from './service.ts';

const tag = 'imports';
const multipartNote =
  'multipart/form-data with the file in a field named `file` (CSV or vCard, up to 512 MB; encoding and delimiter are detected).';

export const importRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/imports/preview',
    permission: 'people.import',
    tag,
    summary: 'Detect format, encoding, delimiter and header preset; suggest a mapping; show the first rows',
    description: `${multipartNote} Nothing is stored; sending only the first megabyte of a large file is enough.`,
    response: importPreview,
    handler: async ({ request }) => previewImport(request),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/imports',
    permission: 'people.import',
    tag,
    summary: 'Import people from a CSV or vCard file, in the background (poll GET /api/v1/imports/:id)',
    description: `${multipartNote} Other fields: \`format\` (csv|vcard), \`mapping\` (JSON), \`dryRun\` (true|false), \`onMatch\` (skip|update|create).`,
    status: 202,
    response: importSummary.pick({ id: true }),
    handler: async ({ ctx, request, reply }) => {
      const created = await createImport(ctx, requireAuth(ctx), request);
      reply.header('Location', `/api/v1/imports/${created.id}`);
      return created;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/imports',
    permission: 'people.import',
    tag,
    summary: 'Recent imports of the workspace, newest first',
    query: listImportsQuery,
    response: page(importSummary),
    handler: async ({ query, ctx }) => {
      const auth = requireAuth(ctx);
      const after = checkCursor(query.after);
      let select = ctx.deps.db
        .selectFrom('imports')
        .selectAll()
        .where('workspace_id', '=', auth.workspaceId)
        .where('status', '!=', 'uploading');
      if (after) select = select.where('id', '<', after);
      const rows = await select
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      return toPage(rows, query.limit, importSummaryOf);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/imports/:id',
    permission: 'people.import',
    tag,
    summary: 'Progress and report of an import: counts and the first 100 row problems',
    params: idParams,
    response: importDetail,
    handler: async ({ params, ctx }) => getImport(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/imports/:id/errors.csv',
    permission: 'people.import',
    tag,
    summary: 'Every row problem of an import, as CSV (row, severity, message)',
    params: idParams,
    handler: async ({ params, ctx, reply }) => {
      const auth = requireAuth(ctx);
      const found = await findImport(ctx, auth, params.id);
      reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="import-${found.id}-errors.csv"`);
      async function* lines() {
        yield `\ufeff${csvLine(['row', 'severity', 'message'])}`;
        let last = { row: 0, id: '0' };
        for (;;) {
          const rows = await ctx.deps.db
            .selectFrom('import_errors')
            .select(['id', 'row', 'severity', 'message'])
            .where('import_id', '=', found.id)
            .where('workspace_id', '=', auth.workspaceId)
            .where((eb) =>
              eb.or([eb('row', '>', last.row), eb.and([eb('row', '=', last.row), eb('id', '>', last.id)])]),
            )
            .orderBy('row')
            .orderBy('id')
            .limit(5000)
            .execute();
          if (rows.length === 0) return;
          yield rows.map((row) => csvLine([String(row.row), row.severity, row.message])).join('');
          const end = rows.at(-1)!;
          last = { row: end.row, id: String(end.id) };
        }
      }
      // Readable.from pulls the next page only when the client has taken the previous one.
      return Readable.from(lines());
    },
  }),
];
