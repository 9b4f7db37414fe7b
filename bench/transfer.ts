/**
 * Import and export through the full HTTP path: a Google Contacts CSV uploaded to
 * POST /api/v1/imports (parse, validate, normalize, match, insert in the background job) timed
 * until the import is done; GET /api/v1/people/export streamed to the end.
 */
import { get, type IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { csvLine } from '../src/features/imports/csv.ts';
import type { BenchPerson } from './generate.ts';
import type { Server } from './http.ts';

const headers = [
  'First Name',
  'Last Name',
  'E-mail 1 - Label',
  'E-mail 1 - Value',
  'Phone 1 - Label',
  'Phone 1 - Value',
  'Organization 1 - Name',
  'Organization 1 - Title',
  'Labels',
  'Notes',
];

/** The people as a Google Contacts export would have them. */
export function googleCsv(people: BenchPerson[], organizationNames: Map<string, string>): string {
  const lines = [csvLine(headers)];
  for (const { input } of people) {
    const email = input.emails?.[0];
    const phone = input.phones?.[0];
    lines.push(
      csvLine([
        input.givenName ?? '',
        input.familyName ?? '',
        email?.label ?? '',
        email?.value ?? '',
        phone?.label ?? '',
        phone?.value ?? '',
        (input.organizationId && organizationNames.get(input.organizationId)) || '',
        input.jobTitle ?? '',
        (input.tags ?? []).join(' ::: '),
        input.notes ?? '',
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

interface ImportStatus {
  status: string;
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** Waits for the import to finish, at most `timeoutMs`: then the rate is of the rows processed so far. */
export async function importFigures(
  server: Server,
  token: string,
  csv: string,
  rows: number,
  timeoutMs = 300_000,
) {
  const form = new FormData();
  form.set('file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  form.set('format', 'csv');
  form.set('onMatch', 'skip');
  const started = performance.now();
  const response = await fetch(`${server.base}/api/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (!response.ok) throw new Error(`import: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  const uploadedMs = performance.now() - started;
  let status: ImportStatus;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const poll = await fetch(`${server.base}/api/v1/imports/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    status = (await poll.json()) as ImportStatus;
    if (status.status === 'done' || status.status === 'failed') break;
    if (performance.now() - started > timeoutMs) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const { status: state, total, processed, created, updated, skipped, failed } = status;
  return {
    rows,
    bytes: csv.length,
    uploadMs: Math.round(uploadedMs),
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round((state === 'done' ? rows : processed) / seconds),
    timedOut: state !== 'done' && state !== 'failed',
    result: { status: state, total, processed, created, updated, skipped, failed },
  };
}

/**
 * `rows`: how many live people the workspace has (notes may hold newlines, so lines are not rows).
 * `encoding` is the Accept-Encoding sent: `gzip, deflate` is what fetch sends by default, `br`
 * what browsers prefer, `identity` no compression. `megabytes` is of the export itself, whatever
 * went over the wire.
 *
 * The download goes through node:http and a zlib stream, not fetch: undici's fetch inflated a
 * gzip download ahead of the reader, so now and then the client's memory grew by hundreds of MB
 * and its garbage collector took both cores for minutes (a CSV export of 1M people measured at
 * 4,747 rows/s in one run, 74,365 in the next; the database sat idle meanwhile). See
 * https://github.com/nodejs/undici/issues/2014.
 */
export async function exportFigures(
  server: Server,
  token: string,
  format: 'csv' | 'json' | 'vcard',
  rows: number,
  encoding = 'gzip, deflate',
) {
  const started = performance.now();
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    get(
      `${server.base}/api/v1/people/export?format=${format}`,
      { headers: { authorization: `Bearer ${token}`, 'accept-encoding': encoding } },
      resolve,
    ).on('error', reject),
  );
  const contentEncoding = response.headers['content-encoding'] ?? 'identity';
  if (response.statusCode !== 200) {
    let body = '';
    for await (const chunk of response) body += chunk;
    throw new Error(`export: ${response.statusCode} ${body}`);
  }
  const decoders: Record<string, () => Transform> = {
    gzip: createGunzip,
    deflate: createInflate,
    br: createBrotliDecompress,
  };
  const decoder = decoders[contentEncoding];
  let body: Readable = response;
  if (decoder) {
    const decoding = decoder();
    response.on('error', (error) => decoding.destroy(error));
    body = response.pipe(decoding);
  }
  let bytes = 0;
  let cards = 0;
  let tail = '';
  const text = new TextDecoder();
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.byteLength;
    if (format === 'vcard') {
      // A marker may straddle two chunks: the last 10 characters (one short of a whole
      // marker, so never counted twice) are searched again with the next chunk.
      const decoded = tail + text.decode(chunk, { stream: true });
      cards += decoded.split('BEGIN:VCARD').length - 1;
      tail = decoded.slice(-10);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    format,
    encoding: contentEncoding,
    rows,
    ...(format === 'vcard' ? { cards } : {}),
    megabytes: Math.round(bytes / 1e5) / 10,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round(rows / seconds),
  };
}
