import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peoplePages } from '../../src/features/exports/pages.ts';
import { CsvParser } from '../../src/features/imports/csv.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { importFile, peopleOf } from './import-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  const org = await admin.client.post('/api/v1/organizations', { name: 'Acme, Inc.' });
  const people = [
    {
      givenName: 'Zoë',
      familyName: 'Ångström',
      pronouns: 'she/her',
      stage: 'influencer',
      source: 'Conference; 2024',
      organizationId: org.body.id,
      emails: [
        { value: 'zoe@example.com', label: 'work' },
        { value: 'zoe.home@example.org', label: 'Home office', primary: true },
      ],
      phones: [{ value: '(415) 555-0123', label: 'mobile' }],
      addresses: [{ label: 'work', street: '1 Main St\nSuite 2', city: 'Springfield', country: 'US' }],
      websites: [{ value: 'zoe.example.com' }],
      social: [{ service: 'mastodon', handle: '@zoe@example.social' }],
      importantDates: [{ label: 'first order', date: '2020-05-01' }],
      tags: ['vip', 'early adopter'],
      birthday: '1990-02-28',
      notes: 'Line one, with commas; and semicolons.\nLine "two".',
      lastContactedAt: '2024-05-01T10:20:30.000Z',
    },
    { displayName: 'Mr Bo', givenName: 'Bo', stage: 'customer', tags: ['vip'] },
    { emails: [{ value: 'only@email.example' }], stage: 'prospect' },
  ];
  for (const person of people) {
    const created = await admin.client.post('/api/v1/people', person);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
});
afterAll(() => t.close());

function parseCsv(text: string) {
  const parser = new CsvParser(',');
  return [...parser.push(text.replace(/^\ufeff/, '')), ...parser.end()].map((record) => record.fields ?? []);
}

describe('people export', () => {
  it('CSV: header row, every field, filters and chosen columns', async () => {
    const all = await admin.client.get('/api/v1/people/export?format=csv');
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toMatch(/text\/csv/);
    expect(all.headers['content-disposition']).toMatch(/attachment; filename="people-.*\.csv"/);
    const rows = parseCsv(all.body);
    const header = rows[0]!;
    expect(header.slice(0, 3)).toEqual(['id', 'displayName', 'givenName']);
    expect(rows).toHaveLength(4);
    const zoe = Object.fromEntries(header.map((name, i) => [name, rows.find((r) => r[2] === 'Zoë')![i]]));
    expect(zoe).toMatchObject({
      organization: 'Acme, Inc.',
      emails: 'zoe@example.com; zoe.home@example.org',
      phones: '(415) 555-0123',
      'address.street': '1 Main St\nSuite 2',
      tags: 'vip; early adopter',
      notes: 'Line one, with commas; and semicolons.\nLine "two".',
    });

    const vip = await admin.client.get(
      '/api/v1/people/export?format=csv&tag=vip&stage=customer&columns=displayName,stage',
    );
    expect(parseCsv(vip.body)).toEqual([
      ['displayName', 'stage'],
      ['Mr Bo', 'customer'],
    ]);
    const bad = await admin.client.get('/api/v1/people/export?columns=displayName,shoeSize');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/shoeSize: not a column/);
    expect((await admin.client.get('/api/v1/people/export?format=xml')).status).toBe(400);
  });

  it('CSV: numbers float8 cannot hold and custom-field keys named like object members', async () => {
    const person = await admin.client.post('/api/v1/people', { givenName: 'Huge', familyName: 'Numbers' });
    expect(person.status).toBe(201);
    // Only data written around the API can hold these (the API validates custom fields).
    await sql`update people set custom_fields = '{"huge": 1e400, "tiny": -1e-400, "obj": 2}'::jsonb
      where id = ${person.body.id}`.execute(t.database.db);
    const response = await admin.client.get(
      '/api/v1/people/export?format=csv&q=Numbers&columns=displayName,customFields.huge,customFields.tiny,customFields.constructor,customFields.toString',
    );
    expect(response.status).toBe(200);
    expect(parseCsv(response.body)).toEqual([
      [
        'displayName',
        'customFields.huge',
        'customFields.tiny',
        'customFields.constructor',
        'customFields.toString',
      ],
      ['Huge Numbers', 'Infinity', '0', '', ''],
    ]);
    await admin.client.delete(`/api/v1/people/${person.body.id}`);
  });

  it('JSON: one array of people, as the list returns them, in the list order', async () => {
    const response = await admin.client.get('/api/v1/people/export?format=json&sort=-name');
    expect(response.headers['content-type']).toMatch(/application\/json/);
    const list = await admin.client.get('/api/v1/people?sort=-name');
    expect(response.body).toEqual(list.body.data);
    const none = await admin.client.get('/api/v1/people/export?format=json&tag=nobody');
    expect(none.body).toEqual([]);
  });

  it('vCard 4.0 round-trips through our own import, into another workspace', async () => {
    const cards = await admin.client.get('/api/v1/people/export?format=vcard');
    expect(cards.headers['content-type']).toMatch(/text\/vcard/);
    expect(cards.body.match(/BEGIN:VCARD/g)).toHaveLength(3);
    const other = await signedInUser(t, 'admin');
    const report = await importFile(t, other.client, { name: 'people.vcf', content: cards.body });
    expect(report).toMatchObject({
      status: 'done',
      created: 3,
      failed: 0,
      warnings: 0,
      organizationsCreated: 1,
    });
    const strip = (people: Record<string, unknown>[]) =>
      people
        .map(({ id: _id, organizationId, version: _v, createdAt: _c, updatedAt: _u, ...rest }) => ({
          ...rest,
          hasOrganization: organizationId !== null,
        }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(strip(await peopleOf(other.client))).toEqual(strip(await peopleOf(admin.client)));
    const orgs = await other.client.get('/api/v1/organizations');
    expect(orgs.body.data.map((o: { name: string }) => o.name)).toEqual(['Acme, Inc.']);
  });

  it('CSV export reads back through the import (our own preset)', async () => {
    const csv = await admin.client.get('/api/v1/people/export?format=csv');
    const other = await signedInUser(t, 'admin');
    const report = await importFile(t, other.client, { name: 'people.csv', content: csv.body });
    expect(report).toMatchObject({ preset: 'rapport', created: 3, failed: 0 });
    const zoe = (await peopleOf(other.client)).find((p) => p.givenName === 'Zoë');
    expect(zoe).toMatchObject({
      stage: 'influencer',
      tags: ['vip', 'early adopter'],
      birthday: '1990-02-28',
    });
  });

  it('needs people.export: agents get 403; another workspace exports only its own people', async () => {
    const agent = await signedInUser(t, 'agent', admin.workspaceId);
    expect((await agent.client.get('/api/v1/people/export')).status).toBe(403);
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.get('/api/v1/people/export?format=json')).body).toHaveLength(3);
    const stranger = await signedInUser(t, 'admin');
    expect((await stranger.client.get('/api/v1/people/export?format=json')).body).toEqual([]);
  });

  it('reads page after page in the list order, with the filters, whatever the page size', async () => {
    const ids = (people: { id: string }[]) => people.map((person) => person.id);
    for (const [sort, tag] of [
      ['name', undefined],
      ['-createdAt', undefined],
      ['-name', 'vip'],
      ['lastContactedAt', undefined],
    ] as const) {
      const list = await admin.client.get(`/api/v1/people?sort=${sort}${tag ? `&tag=${tag}` : ''}`);
      expect(list.body.data.length).toBeGreaterThan(1);
      for (const pageSize of [1, 2, 100]) {
        const pages: string[][] = [];
        for await (const page of peoplePages(
          t.database.db,
          admin.workspaceId,
          { sort, ...(tag ? { tag: [tag] } : {}) },
          pageSize,
        ))
          pages.push(ids(page));
        expect(pages.flat(), `${sort} by ${pageSize}`).toEqual(ids(list.body.data));
        expect(Math.max(...pages.map((page) => page.length))).toBeLessThanOrEqual(pageSize);
      }
    }
  });
});
