import { Jimp } from 'jimp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer, portalSlugOf } from './helpers/portal.ts';
import { multipartBody } from './import-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let manager: Awaited<ReturnType<typeof signedInUser>>;
let otherAdmin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  manager = await signedInUser(t, 'manager', admin.workspaceId);
  otherAdmin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

async function uploadLogo(client: Client, content: Buffer, name = 'logo.png') {
  const { body, contentType } = multipartBody({}, { name, content });
  const response = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/portal/settings/logo',
    payload: body,
    headers: {
      'content-type': contentType,
      ...(client.cookie ? { cookie: client.cookie } : {}),
      ...(client.csrfToken ? { 'x-csrf-token': client.csrfToken } : {}),
    },
  });
  return { status: response.statusCode, body: response.json() };
}

/** A WebP file header (VP8X) of the given size: enough for the size check; stored and served as sent. */
function webp(width: number, height: number) {
  const header = Buffer.alloc(30);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(22, 4);
  header.write('WEBPVP8X', 8, 'latin1');
  header.writeUInt32LE(10, 16);
  header.writeUIntLE(width - 1, 24, 3);
  header.writeUIntLE(height - 1, 27, 3);
  return header;
}

async function png(width: number, height: number) {
  const image = new Jimp({ width, height, color: 0x1c7ed6ff });
  return image.getBuffer('image/png');
}

describe('portal settings', () => {
  it('reads the defaults with the portal address, for every staff role', async () => {
    const slug = await portalSlugOf(t.database.db, admin.workspaceId);
    const read = await manager.client.get('/api/v1/portal/settings');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      slug,
      enabled: true,
      title: null,
      welcome: null,
      primaryColor: '#1c7ed6',
      logoUrl: null,
      parts: { items: true, suggestions: true, articles: true, intents: true },
      publicSuggestions: false,
      publicArticles: true,
      erasureDays: 30,
      portalUrl: expect.stringMatching(new RegExp(`^https?://[^/]+/portal/${slug}$`)),
    });
  });

  it('lets an admin change them (audited) and refuses managers, bad colours and taken addresses', async () => {
    const changed = await admin.client.patch('/api/v1/portal/settings', {
      slug: 'acme-help',
      title: 'Acme help',
      welcome: 'Hello!',
      primaryColor: '#AA3300',
      parts: { suggestions: false },
      publicSuggestions: true,
      erasureDays: 14,
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      slug: 'acme-help',
      title: 'Acme help',
      primaryColor: '#aa3300',
      parts: { items: true, suggestions: false, articles: true, intents: true },
      publicSuggestions: true,
      erasureDays: 14,
      portalUrl: expect.stringMatching(/\/portal\/acme-help$/),
    });
    const site = await t.client().get(`${portalBase}/site?workspace=acme-help`);
    expect(site.body).toMatchObject({ title: 'Acme help', welcome: 'Hello!', primaryColor: '#aa3300' });
    const audited = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('action', '=', 'portal.settings_updated')
      .execute();
    expect(audited).toEqual([{ action: 'portal.settings_updated', actor_id: admin.user.id }]);

    expect((await manager.client.patch('/api/v1/portal/settings', { title: 'Mine' })).status).toBe(403);
    const colour = await admin.client.patch('/api/v1/portal/settings', { primaryColor: 'blue' });
    expect(colour.status).toBe(400);
    expect(colour.body.errors[0].path).toBe('body.primaryColor');
    expect((await admin.client.patch('/api/v1/portal/settings', { erasureDays: 500 })).status).toBe(400);
    expect((await admin.client.patch('/api/v1/portal/settings', { slug: 'Not a slug!' })).status).toBe(400);
    expect((await admin.client.patch('/api/v1/portal/settings', { colour: '#000000' })).status).toBe(400);

    const taken = await otherAdmin.client.patch('/api/v1/portal/settings', { slug: 'acme-help' });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toContain('that address is taken');
    // The other workspace's settings are untouched by all of this.
    const other = await otherAdmin.client.get('/api/v1/portal/settings');
    expect(other.body).toMatchObject({ title: null, primaryColor: '#1c7ed6', erasureDays: 30 });
  });

  it('two admins saving at once both apply, one after the other', async () => {
    const [a, b] = await Promise.all([
      admin.client.patch('/api/v1/portal/settings', { welcome: 'First' }),
      admin.client.patch('/api/v1/portal/settings', { erasureDays: 20 }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const read = await admin.client.get('/api/v1/portal/settings');
    expect(read.body).toMatchObject({ welcome: 'First', erasureDays: 20 });
  });

  it('uploads a logo scaled to 256 px, serves it publicly with its type and long caching, and removes it', async () => {
    const uploaded = await uploadLogo(admin.client, await png(600, 300));
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    expect(uploaded.body.logoUrl).toBe('/portal/api/v1/site/logo?workspace=acme-help&v=1');

    const served = await t.app.inject({ method: 'GET', url: uploaded.body.logoUrl });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toContain('max-age=31536000');
    const image = await Jimp.read(served.rawPayload);
    expect([image.width, image.height]).toEqual([256, 128]);
    const site = await t.client().get(`${portalBase}/site?workspace=acme-help`);
    expect(site.body.logoUrl).toBe(uploaded.body.logoUrl);

    const again = await uploadLogo(admin.client, await png(40, 40));
    expect(again.body.logoUrl).toMatch(/&v=2$/);
    const stale = await t.app.inject({
      method: 'GET',
      url: '/portal/api/v1/site/logo?workspace=acme-help&v=1',
    });
    expect(stale.headers['cache-control']).toContain('no-cache');
    expect((await Jimp.read(stale.rawPayload)).width).toBe(40);

    expect((await uploadLogo(manager.client, await png(10, 10))).status).toBe(403);
    expect((await manager.client.delete('/api/v1/portal/settings/logo')).status).toBe(403);
    expect((await admin.client.delete('/api/v1/portal/settings/logo')).status).toBe(204);
    expect((await admin.client.delete('/api/v1/portal/settings/logo')).status).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: '/portal/api/v1/site/logo?workspace=acme-help' })).statusCode,
    ).toBe(404);
    expect((await admin.client.get('/api/v1/portal/settings')).body.logoUrl).toBeNull();
  });

  it('refuses logos that are too large, not images or of another type', async () => {
    const tooLarge = await uploadLogo(
      admin.client,
      Buffer.concat([await png(10, 10), Buffer.alloc(1024 * 1024)]),
    );
    expect(tooLarge.status).toBe(413);
    const text = await uploadLogo(admin.client, Buffer.from('hello, not an image'), 'logo.txt');
    expect(text.status).toBe(415);
    const gif = await uploadLogo(admin.client, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
    expect(gif.status).toBe(415);
    const json = await admin.client.put('/api/v1/portal/settings/logo', { file: 'x' });
    expect(json.status).toBe(415);
    expect((await admin.client.get('/api/v1/portal/settings')).body.logoUrl).toBeNull();
  });

  it('keeps a WebP logo that fits as sent, and refuses a larger one (it cannot be scaled here)', async () => {
    const large = await uploadLogo(admin.client, webp(300, 200), 'logo.webp');
    expect(large.status).toBe(422);
    expect(large.body.detail).toMatch(/256×256/);
    const small = await uploadLogo(admin.client, webp(120, 60), 'logo.webp');
    expect(small.status, JSON.stringify(small.body)).toBe(200);
    const served = await t.app.inject({ method: 'GET', url: small.body.logoUrl });
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.rawPayload.equals(webp(120, 60))).toBe(true);
    expect((await admin.client.delete('/api/v1/portal/settings/logo')).status).toBe(204);
  });

  it('turning a part off closes its customer routes; a disabled portal answers 404', async () => {
    const customer = await portalCustomer(t, admin.workspaceId, 'kit@example.com');
    const post = () => customer.client.post(`${portalBase}/intents`, { what: 'A boat', channel: 'portal' });
    expect((await post()).status).toBe(201);

    await admin.client.patch('/api/v1/portal/settings', { parts: { intents: false } });
    const off = await post();
    expect(off.status).toBe(404);
    expect(off.body.detail).toMatch(/turned off/);
    expect((await customer.client.get(`${portalBase}/intents`)).status).toBe(404);
    await admin.client.patch('/api/v1/portal/settings', { parts: { intents: true } });

    expect((await admin.client.patch('/api/v1/portal/settings', { enabled: false })).status).toBe(200);
    expect((await t.client().get(`${portalBase}/site?workspace=acme-help`)).status).toBe(404);
    expect((await post()).status).toBe(404);
    await admin.client.patch('/api/v1/portal/settings', { enabled: true });
    expect((await t.client().get(`${portalBase}/site?workspace=acme-help`)).status).toBe(200);
  });
});
