import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

async function createPerson(client: Client, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/people', { givenName: 'Ada', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** A multipart upload with the client's session, as a browser form would send it. */
async function upload(client: Client, url: string, bytes: Buffer, filename = 'photo.jpg', field = 'file') {
  const boundary = '----rapport-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await t.app.inject({
    method: 'PUT',
    url,
    payload,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(client.cookie ? { cookie: client.cookie } : {}),
      ...(client.csrfToken ? { 'x-csrf-token': client.csrfToken } : {}),
    },
  });
  const isJson = String(response.headers['content-type']).includes('json');
  return { status: response.statusCode, body: isJson ? response.json() : response.body };
}

const image = (width: number, height: number, mime: 'image/png' | 'image/jpeg' | 'image/gif') =>
  new Jimp({ width, height, color: 0x3366ccff }).getBuffer(mime);

describe('notes history', () => {
  it('keeps every text of the notes, newest first, with its author', async () => {
    const person = await createPerson(admin.client, { notes: 'Met at the fair.' });
    const agent = await signedInUser(t, 'agent', admin.workspaceId);
    await agent.client.patch(`/api/v1/people/${person.id}`, {
      notes: 'Met at the fair. Likes jazz.',
      version: 1,
    });
    await admin.client.patch(`/api/v1/people/${person.id}`, { jobTitle: 'CTO', version: 2 }); // notes unchanged
    await admin.client.patch(`/api/v1/people/${person.id}`, { notes: null, version: 3 });

    const history = await admin.client.get(`/api/v1/people/${person.id}/notes-history`);
    expect(history.status).toBe(200);
    expect(history.body.data.map((entry: { notes: string | null }) => entry.notes)).toEqual([
      null,
      'Met at the fair. Likes jazz.',
      'Met at the fair.',
    ]);
    expect(history.body.data[1]).toMatchObject({ authorId: agent.user.id, authorName: agent.user.name });
    expect(history.body.data[2]).toMatchObject({ authorId: admin.user.id, authorName: admin.user.name });
    expect(history.body.next).toBeNull();

    const first = await admin.client.get(`/api/v1/people/${person.id}/notes-history?limit=2`);
    expect(first.body.data).toHaveLength(2);
    const second = await admin.client.get(
      `/api/v1/people/${person.id}/notes-history?limit=2&after=${first.body.next}`,
    );
    expect(second.body).toMatchObject({ data: [{ notes: 'Met at the fair.' }], next: null });
    const bad = await admin.client.get(`/api/v1/people/${person.id}/notes-history?after=xyz`);
    expect(bad.status).toBe(400);
  });

  it('answers 404 for a person of another workspace', async () => {
    const person = await createPerson(admin.client, { notes: 'secret' });
    const other = await signedInUser(t, 'admin');
    expect((await other.client.get(`/api/v1/people/${person.id}/notes-history`)).status).toBe(404);
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.get(`/api/v1/people/${person.id}/notes-history`)).status).toBe(200);
  });
});

describe('photos', () => {
  it('stores a 256×256 JPEG (and a 64×64 one), served with cache headers', async () => {
    const person = await createPerson(admin.client);
    expect(person.photoUrl).toBeNull();
    const put = await upload(
      admin.client,
      `/api/v1/people/${person.id}/photo`,
      await image(400, 300, 'image/png'),
      'me.png',
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.photoUrl).toBe(`/api/v1/people/${person.id}/photo?v=1`);
    expect(put.body.version).toBe(2);
    expect((await admin.client.get(`/api/v1/people/${person.id}`)).body.photoUrl).toBe(put.body.photoUrl);

    const photo = await t.app.inject({
      method: 'GET',
      url: put.body.photoUrl,
      headers: { cookie: admin.client.cookie! },
    });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.headers['cache-control']).toContain('immutable');
    expect(photo.headers.etag).toBe('"photo-1-256"');
    const decoded = await Jimp.read(photo.rawPayload);
    expect([decoded.width, decoded.height]).toEqual([256, 256]);
    const thumbnail = await t.app.inject({
      method: 'GET',
      url: `/api/v1/people/${person.id}/photo?size=64`,
      headers: { cookie: admin.client.cookie! },
    });
    expect(thumbnail.headers['cache-control']).toContain('no-cache');
    const small = await Jimp.read(thumbnail.rawPayload);
    expect([small.width, small.height]).toEqual([64, 64]);

    const replaced = await upload(
      admin.client,
      `/api/v1/people/${person.id}/photo`,
      await image(100, 500, 'image/jpeg'),
    );
    expect(replaced.body.photoUrl).toBe(`/api/v1/people/${person.id}/photo?v=2`);
    const gif = await upload(
      admin.client,
      `/api/v1/people/${person.id}/photo`,
      await image(50, 50, 'image/gif'),
      'a.gif',
    );
    expect(gif.status).toBe(200);

    expect((await admin.client.delete(`/api/v1/people/${person.id}/photo`)).status).toBe(204);
    expect((await admin.client.get(`/api/v1/people/${person.id}`)).body.photoUrl).toBeNull();
    expect((await admin.client.get(`/api/v1/people/${person.id}/photo`)).status).toBe(404);
    expect((await admin.client.delete(`/api/v1/people/${person.id}/photo`)).status).toBe(404);
    const actions = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', person.id)
      .where('action', 'like', 'person.photo%')
      .execute();
    expect(actions).toHaveLength(4);
  });

  it('answers 422 "not an image we can read" by content, whatever the file name', async () => {
    const person = await createPerson(admin.client);
    const url = `/api/v1/people/${person.id}/photo`;
    const text = await upload(admin.client, url, Buffer.from('hello, I am not a picture'), 'photo.jpg');
    expect(text.status).toBe(422);
    expect(text.body.detail).toContain('not an image we can read');
    const png = await image(40, 40, 'image/png');
    const truncated = await upload(admin.client, url, png.subarray(0, 60), 'photo.png');
    expect(truncated.status).toBe(422);
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    const huge = await upload(admin.client, url, bomb, 'photo.png');
    expect(huge.status).toBe(422);
    expect(huge.body.detail).toContain('too large');
    const webp = Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 '), Buffer.alloc(40)]);
    expect((await upload(admin.client, url, webp, 'photo.webp')).body.detail).toContain('WebP');
    const tooBig = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(10 * 1024 * 1024)]);
    expect((await upload(admin.client, url, tooBig)).status).toBe(413);
    const wrongField = await upload(admin.client, url, png, 'photo.png', 'picture');
    expect(wrongField.status).toBe(400);
    const json = await admin.client.request('PUT', url, { file: 'x' });
    expect(json.status).toBe(415);
    expect((await admin.client.get(`/api/v1/people/${person.id}`)).body).toMatchObject({
      photoUrl: null,
      version: 1,
    });
  });

  it('needs people.write to change, and keeps workspaces apart', async () => {
    const person = await createPerson(admin.client);
    const png = await image(300, 300, 'image/png');
    await upload(admin.client, `/api/v1/people/${person.id}/photo`, png);
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await upload(executive.client, `/api/v1/people/${person.id}/photo`, png)).status).toBe(403);
    expect((await executive.client.delete(`/api/v1/people/${person.id}/photo`)).status).toBe(403);
    expect((await executive.client.get(`/api/v1/people/${person.id}/photo`)).status).toBe(200);
    const other = await signedInUser(t, 'admin');
    expect((await other.client.get(`/api/v1/people/${person.id}/photo`)).status).toBe(404);
    expect((await upload(other.client, `/api/v1/people/${person.id}/photo`, png)).status).toBe(404);
    expect((await other.client.delete(`/api/v1/people/${person.id}/photo`)).status).toBe(404);
    expect((await t.client().get(`/api/v1/people/${person.id}/photo`)).status).toBe(401);
  });
});
