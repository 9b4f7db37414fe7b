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

async function define(client: Client, body: Record<string, unknown>) {
  const response = await client.post('/api/v1/custom-fields', { entity: 'person', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('custom field definitions', () => {
  it('creates, lists in position order, changes and deletes a definition, auditing each step', async () => {
    const size = await define(admin.client, { label: 'Shoe size', type: 'number' });
    expect(size).toMatchObject({
      entity: 'person',
      key: 'shoe_size',
      label: 'Shoe size',
      options: [],
      version: 1,
    });
    const tier = await define(admin.client, {
      key: 'tier',
      label: 'Tier',
      type: 'select',
      options: ['gold', 'silver'],
    });
    expect(tier.position).toBe(size.position + 1);
    const orgField = await define(admin.client, { entity: 'organization', label: 'Rating', type: 'text' });
    expect(orgField.position).toBe(0);

    const people = await admin.client.get('/api/v1/custom-fields?entity=person');
    expect(people.body.data.map((field: { key: string }) => field.key)).toEqual(['shoe_size', 'tier']);
    const all = await admin.client.get('/api/v1/custom-fields');
    expect(all.body.data).toHaveLength(3);

    // The web page swaps the positions of two neighbours to move one up or down.
    const moved = await admin.client.patch(`/api/v1/custom-fields/${tier.id}`, {
      position: size.position,
      label: 'Loyalty tier',
      version: 1,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ label: 'Loyalty tier', position: 0, key: 'tier', version: 2 });
    const down = await admin.client.patch(`/api/v1/custom-fields/${size.id}`, {
      position: tier.position,
      version: 1,
    });
    expect(down.status).toBe(200);
    const reordered = await admin.client.get('/api/v1/custom-fields?entity=person');
    expect(reordered.body.data.map((field: { key: string }) => field.key)).toEqual(['tier', 'shoe_size']);

    expect((await admin.client.delete(`/api/v1/custom-fields/${orgField.id}`)).status).toBe(204);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'custom_field')
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual([
      'custom_field.created',
      'custom_field.created',
      'custom_field.created',
      'custom_field.updated',
      'custom_field.updated',
      'custom_field.deleted',
    ]);
  });

  it('refuses bad definitions with a message that says what to fix', async () => {
    const badKey = await admin.client.post('/api/v1/custom-fields', {
      entity: 'person',
      key: 'Shoe Size',
      label: 'x',
      type: 'text',
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.errors[0].path).toBe('body.key');
    const noOptions = await admin.client.post('/api/v1/custom-fields', {
      entity: 'person',
      label: 'Colour',
      type: 'select',
    });
    expect(noOptions.status).toBe(400);
    expect(noOptions.body.errors[0]).toMatchObject({ path: 'body.options' });
    const badType = await admin.client.post('/api/v1/custom-fields', {
      entity: 'person',
      label: 'x',
      type: 'color',
    });
    expect(badType.status).toBe(400);
    await define(admin.client, { key: 'twice', label: 'Twice', type: 'text' });
    const duplicate = await admin.client.post('/api/v1/custom-fields', {
      entity: 'person',
      key: 'twice',
      label: 'Again',
      type: 'text',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.detail).toContain('twice');
    // The same key is free for organizations.
    await define(admin.client, { entity: 'organization', key: 'twice', label: 'Twice', type: 'text' });
  });

  it('answers 409 to a stale version and 400 without one', async () => {
    const field = await define(admin.client, { key: 'stale', label: 'Stale', type: 'text' });
    expect(
      (await admin.client.patch(`/api/v1/custom-fields/${field.id}`, { label: 'A', version: 1 })).status,
    ).toBe(200);
    const stale = await admin.client.patch(`/api/v1/custom-fields/${field.id}`, { label: 'B', version: 1 });
    expect(stale.status).toBe(409);
    expect((await admin.client.patch(`/api/v1/custom-fields/${field.id}`, { label: 'B' })).status).toBe(400);
    const staleDelete = await admin.client.delete(`/api/v1/custom-fields/${field.id}`, { 'if-match': '"1"' });
    expect(staleDelete.status).toBe(409);
  });

  it('lets everyone read definitions but only admins manage them', async () => {
    for (const role of ['manager', 'agent', 'executive'] as const) {
      const user = await signedInUser(t, role, admin.workspaceId);
      expect((await user.client.get('/api/v1/custom-fields')).status).toBe(200);
      const refused = await user.client.post('/api/v1/custom-fields', {
        entity: 'person',
        label: 'No',
        type: 'text',
      });
      expect(refused.status).toBe(403);
    }
  });

  it('keeps workspaces apart: another workspace neither sees nor changes the definitions', async () => {
    const field = await define(admin.client, { key: 'private_note', label: 'Private', type: 'text' });
    const other = await signedInUser(t, 'admin');
    const list = await other.client.get('/api/v1/custom-fields');
    expect(list.body.data).toEqual([]);
    expect(
      (await other.client.patch(`/api/v1/custom-fields/${field.id}`, { label: 'Mine', version: 1 })).status,
    ).toBe(404);
    expect((await other.client.delete(`/api/v1/custom-fields/${field.id}`)).status).toBe(404);
    // The same key can be defined in another workspace.
    await define(other.client, { key: 'private_note', label: 'Private', type: 'text' });
  });
});

describe('custom field values on people and organizations', () => {
  let ws: Awaited<ReturnType<typeof signedInUser>>;
  beforeAll(async () => {
    ws = await signedInUser(t, 'admin');
    await define(ws.client, { key: 'size', label: 'Size', type: 'number' });
    await define(ws.client, { key: 'vip', label: 'VIP', type: 'checkbox' });
    await define(ws.client, { key: 'since', label: 'Since', type: 'date' });
    await define(ws.client, { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] });
    await define(ws.client, {
      key: 'interests',
      label: 'Interests',
      type: 'multiselect',
      options: ['golf', 'jazz', 'wine'],
    });
    await define(ws.client, { key: 'blog', label: 'Blog', type: 'url' });
    await define(ws.client, { key: 'motto', label: 'Motto', type: 'text' });
    await define(ws.client, {
      entity: 'organization',
      key: 'segment',
      label: 'Segment',
      type: 'select',
      options: ['smb', 'enterprise'],
    });
  });

  it('stores valid values normalized and drops empty ones', async () => {
    const created = await ws.client.post('/api/v1/people', {
      givenName: 'Ada',
      customFields: {
        size: 42,
        vip: true,
        since: '2020-01-31',
        tier: 'gold',
        interests: ['golf', 'jazz', 'golf'],
        blog: 'ada.example.com',
        motto: '',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.customFields).toEqual({
      size: 42,
      vip: true,
      since: '2020-01-31',
      tier: 'gold',
      interests: ['golf', 'jazz'],
      blog: 'https://ada.example.com',
    });
  });

  it('answers 422 naming customFields.<key> for an unknown key, a wrong type or a wrong option', async () => {
    const response = await ws.client.post('/api/v1/people', {
      givenName: 'Bad',
      customFields: {
        shoe: 1,
        size: 'big',
        vip: 'yes',
        since: '31/01/2020',
        tier: 'bronze',
        interests: ['golf', 'chess'],
        blog: 'not a url',
      },
    });
    expect(response.status).toBe(422);
    const paths = response.body.errors.map((error: { path: string }) => error.path).sort();
    expect(paths).toEqual(
      ['shoe', 'size', 'vip', 'since', 'tier', 'interests', 'blog']
        .map((key) => `body.customFields.${key}`)
        .sort(),
    );
    expect(response.body.errors.find((e: { path: string }) => e.path.endsWith('tier')).message).toContain(
      'gold, silver',
    );
    expect(response.body.errors.find((e: { path: string }) => e.path.endsWith('shoe')).message).toContain(
      'not a custom field',
    );
    const person = (await ws.client.post('/api/v1/people', { givenName: 'Eve' })).body;
    const update = await ws.client.patch(`/api/v1/people/${person.id}`, {
      customFields: { vip: 1 },
      version: 1,
    });
    expect(update.status).toBe(422);
    expect(update.body.errors[0].path).toBe('body.customFields.vip');
  });

  it('validates organizations against their own definitions', async () => {
    const good = await ws.client.post('/api/v1/organizations', {
      name: 'Initech',
      customFields: { segment: 'smb' },
    });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    await ws.client.post('/api/v1/organizations', {
      name: 'Globex',
      customFields: { segment: 'enterprise' },
    });
    const filtered = await ws.client.get('/api/v1/organizations?customField=segment:smb');
    expect(filtered.body.data.map((org: { name: string }) => org.name)).toEqual(['Initech']);
    const unknownFilter = await ws.client.get('/api/v1/organizations?customField=size:3');
    expect(unknownFilter.status).toBe(422);
    expect(unknownFilter.body.errors[0].path).toBe('query.customField');
    const personKey = await ws.client.post('/api/v1/organizations', {
      name: 'Initech',
      customFields: { size: 3 },
    });
    expect(personKey.status).toBe(422);
    expect(personKey.body.errors[0].path).toBe('body.customFields.size');
  });

  it('removes the values of a deleted field and of removed options, bumping versions', async () => {
    const person = (
      await ws.client.post('/api/v1/people', {
        givenName: 'Cleo',
        customFields: { motto: 'carpe diem', tier: 'silver', interests: ['wine', 'jazz'] },
      })
    ).body;
    const fields = (await ws.client.get('/api/v1/custom-fields?entity=person')).body.data as {
      id: string;
      key: string;
      version: number;
    }[];
    const motto = fields.find((field) => field.key === 'motto')!;
    const interests = fields.find((field) => field.key === 'interests')!;
    const tier = fields.find((field) => field.key === 'tier')!;
    expect((await ws.client.delete(`/api/v1/custom-fields/${motto.id}`)).status).toBe(204);
    const narrowed = await ws.client.patch(`/api/v1/custom-fields/${interests.id}`, {
      options: ['golf', 'jazz'],
      version: interests.version,
    });
    expect(narrowed.status).toBe(200);
    const emptied = await ws.client.patch(`/api/v1/custom-fields/${tier.id}`, {
      options: [],
      version: tier.version,
    });
    expect(emptied.status).toBe(422);
    expect(
      (
        await ws.client.patch(`/api/v1/custom-fields/${tier.id}`, {
          options: ['gold'],
          version: tier.version,
        })
      ).status,
    ).toBe(200);

    const read = (await ws.client.get(`/api/v1/people/${person.id}`)).body;
    expect(read.customFields).toEqual({ interests: ['jazz'] });
    expect(read.version).toBe(4);
  });
});
