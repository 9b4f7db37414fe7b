// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import type { Client, Response, TestApp } from '../support/test-app.ts';

export const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/imports', name));

/** A multipart/form-data body: the fields, then the file (as browsers and curl send it). */
export function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string },
) {
  const boundary = `----rapport${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function upload(
  t: TestApp,
  client: Client,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string },
): Promise<Response> {
  const { body, contentType } = multipartBody(fields, file);
  const response = await t.app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: {
      'content-type': contentType,
      ...(client.cookie ? { cookie: client.cookie } : {}),
      ...(client.csrfToken ? { 'x-csrf-token': client.csrfToken } : {}),
    },
  });
  const text = response.body;
  const parsed =
    String(response.headers['content-type'] ?? '').includes('json') && text ? JSON.parse(text) : text;
  return { status: response.statusCode, body: parsed, headers: response.headers };
}

/** Uploads, runs the job queue, and returns the finished import's report. */
export async function importFile(
  t: TestApp,
  client: Client,
  file: { name: string; content: Buffer | string },
  fields: Record<string, string> = {},
): Promise<any> {
  const created = await upload(t, client, '/api/v1/imports', fields, file);
  if (created.status !== 202)
    throw new Error(`import refused: ${created.status} ${JSON.stringify(created.body)}`);
  await drainJobs(t.deps);
  const report = await client.get(`/api/v1/imports/${created.body.id}`);
  return report.body;
}

export async function peopleOf(client: Client, query = ''): Promise<any[]> {
  const out: any[] = [];
  let after: string | null = null;
  do {
    const page: Response = await client.get(
      `/api/v1/people?limit=200${query}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    out.push(...page.body.data);
    after = page.body.next;
  } while (after);
  return out;
}
