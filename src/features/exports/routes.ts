import { Readable } from 'node:stream';
import { constants } from 'node:zlib';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { exportPeopleQuery } from '../../shared/exports.ts';
import { exportPeople, parseColumns } from './people.ts';

const contentTypes = {
  csv: 'text/csv; charset=utf-8',
  vcard: 'text/vcard; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;
const extensions = { csv: 'csv', vcard: 'vcf', json: 'json' } as const;

/**
 * An export is compressed at the fastest levels: gzip's default level (6) cost ~15 µs a person,
 * about as much as the database building the CSV line, and the server's brotli quality 4 ~26 µs;
 * gzip 1 costs ~6 (files ~13% larger) and brotli 1 ~5 (files about the size of gzip 6). zlib's
 * largest memLevel and 256 kB output chunks take ~15% off gzip's time on a JSON export (and
 * hand the socket ~14× fewer chunks); the file is the same size.
 */
const exportCompression = {
  zlibOptions: { level: constants.Z_BEST_SPEED, memLevel: 9, chunkSize: 256 * 1024 },
  brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 1 }, chunkSize: 256 * 1024 },
};

export const exportRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/export',
    permission: 'people.export',
    tag: 'people',
    summary: 'Download the people matching the list filters as CSV, vCard 4.0 or JSON (streamed, any size)',
    description:
      'Takes the filters and sort of `GET /api/v1/people` (not `after`/`limit`). CSV starts with a header row ' +
      '(UTF-8 with BOM, for Excel); vCard 4.0 reads back through our import losslessly; JSON is one array of people.',
    query: exportPeopleQuery,
    compress: exportCompression,
    handler: async ({ query, ctx, reply }) => {
      const auth = requireAuth(ctx);
      const columns = parseColumns(query.columns);
      const date = new Date().toISOString().slice(0, 10);
      reply
        .type(contentTypes[query.format])
        .header('Content-Disposition', `attachment; filename="people-${date}.${extensions[query.format]}"`);
      const pieces = exportPeople(ctx, auth, query, columns);
      // The first page is read before answering, so that a bad filter still gets its 4xx.
      const first = await pieces.next();
      async function* all() {
        if (!first.done) yield first.value;
        yield* pieces;
      }
      // Readable.from pulls the next page only when the client has taken the previous one.
      return Readable.from(all());
    },
  }),
];
