import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  gunzipSync,
  gzipSync,
  inflateSync,
} from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  const org = await admin.client.post('/api/v1/organizations', { name: 'Ünïcode "Quoted", Ltd.' });
  const names = ['Zoë', 'Ωmega', '李', 'Nuñez', 'O’Brien', 'مريم', 'Åsa', 'Émile', 'Kai 🌊', 'Bo'];
  for (let index = 0; index < 40; index++) {
    const created = await admin.client.post('/api/v1/people', {
      givenName: names[index % names.length],
      familyName: `Family ${index}`,
      organizationId: index % 3 === 0 ? org.body.id : undefined,
      emails: [{ value: `person${index}@example.com`, label: 'work' }],
      phones: index % 2 ? [{ value: `+1 415 555 ${String(1000 + index)}`, label: 'mobile' }] : [],
      tags: index % 4 ? ['vip', `group ${index % 5}`] : [],
      notes: `Line one, with commas; and "quotes".\nLine two of ${index}.`,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
});
afterAll(() => t.close());

async function download(url: string, acceptEncoding: string) {
  const response = await t.app.inject({
    method: 'GET',
    url,
    headers: { cookie: admin.client.cookie!, 'accept-encoding': acceptEncoding },
  });
  expect(response.statusCode).toBe(200);
  return response;
}

describe('people export, compressed', () => {
  for (const format of ['csv', 'json', 'vcard']) {
    it(`${format}: gzip, brotli and deflate bodies decompress to exactly the uncompressed export`, async () => {
      const url = `/api/v1/people/export?format=${format}`;
      const plain = await download(url, 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      const exported = plain.rawPayload;
      expect(exported.length).toBeGreaterThan(4000);

      const gzip = await download(url, 'gzip, deflate');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gzip.headers.vary).toMatch(/accept-encoding/i);
      expect(gunzipSync(gzip.rawPayload).equals(exported)).toBe(true);
      // The fastest level with the most memory: byte for byte what gzip makes of the same export so.
      expect(gzip.rawPayload.equals(gzipSync(exported, { level: 1, memLevel: 9 }))).toBe(true);
      expect(gzip.rawPayload.equals(gzipSync(exported))).toBe(false);

      const brotli = await download(url, 'gzip, deflate, br');
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(brotli.rawPayload).equals(exported)).toBe(true);
      // Brotli's output depends on how the stream was cut: CSV and vCard of one page are one piece
      // (JSON's closing bracket comes as a second one), so those are what quality 1 makes of the whole.
      if (format !== 'json') {
        const quality1 = brotliCompressSync(exported, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
        expect(brotli.rawPayload.equals(quality1)).toBe(true);
      }

      const deflate = await download(url, 'deflate');
      expect(deflate.headers['content-encoding']).toBe('deflate');
      expect(inflateSync(deflate.rawPayload).equals(exported)).toBe(true);
    });
  }

  it('other routes keep the default levels', async () => {
    const plain = await download('/api/v1/people?limit=100', 'identity');
    expect(plain.rawPayload.length).toBeGreaterThan(4000);
    const gzip = await download('/api/v1/people?limit=100', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(gzip.rawPayload.equals(gzipSync(plain.rawPayload))).toBe(true);
  });
});
