/**
 * Bad input never gets a 500: every documented operation is called with bodies generated from its
 * own request schema (near-valid ones, ones with one hostile field, hostile whole bodies), hostile
 * query parameters and path ids that are real, random or malformed. An admin (every permission)
 * and a portal customer call them; each answer must be below 500 and, when 4xx, a problem
 * document with a message. FUZZ_RUNS=200 runs more calls per operation (default 12) to hunt.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { createUser, createWorkspace, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { portalCustomer } from './helpers/portal.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}
interface Operation {
  method: Method;
  path: string;
  permission: string;
  body: JsonSchema | null;
  query: { name: string; schema: JsonSchema }[];
}

let t: TestApp;
let operations: Operation[];
let admin: Client;
let customer: Client;
/** Ids of real rows of the admin's workspace (a person, an organization, an item, a problem…). */
let realIds: string[];

beforeAll(async () => {
  t = await createTestApp();
  const doc = (await t.client().get('/api/openapi.json')).body as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const content = (operation.requestBody as { content?: Record<string, { schema: JsonSchema }> })
        ?.content;
      const parameters = (operation.parameters ?? []) as { name: string; in: string; schema: JsonSchema }[];
      return {
        method: method.toUpperCase() as Method,
        path,
        permission: operation['x-permission'] as string,
        body: content?.['application/json']?.schema ?? null,
        query: parameters.filter((parameter) => parameter.in === 'query'),
      };
    }),
  );

  const workspace = await createWorkspace(t.database.db);
  const user = await createUser(t.database.db, workspace.id, { role: 'admin' });
  const session = t.client();
  await signIn(session, user.email);
  admin = t.client();
  admin.bearer = (await session.post('/api/v1/tokens', { name: 'fuzz' })).body.token;
  const organization = await admin.post('/api/v1/organizations', { name: 'Fuzz Ltd' });
  const person = await admin.post('/api/v1/people', {
    givenName: 'Fuzz',
    emails: [{ value: 'fuzz@example.com' }],
    organizationId: organization.body.id,
  });
  const item = await admin.post('/api/v1/items', {
    kind: 'complaint',
    channel: 'email',
    subject: 'Fuzzed',
    personId: person.body.id,
  });
  const problem = await admin.post('/api/v1/problems', { title: 'Fuzz problem', itemIds: [item.body.id] });
  realIds = [user.id, organization.body.id, person.body.id, item.body.id, problem.body.id];
  expect(realIds.every((id) => typeof id === 'string')).toBe(true);
  customer = (await portalCustomer(t, workspace.id, 'fuzz@example.com')).client;
}, 60_000);
afterAll(() => t.close());

const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    'x'.repeat(100_001),
    "'; drop table people; --",
    '%_\\',
    '2026-02-30',
    '2026-13-01T25:61:00Z',
    '-000001-01-01',
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '<script>alert(1)</script>',
    '🙂'.repeat(300),
    '\u202e\ufeff\u200b',
    '1e400',
    'NaN',
    '-1',
    'true',
    '[]',
    '{}',
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 3 }),
  fc.constant({ $ne: null }),
  fc.constant([[[[[[]]]]]]),
);

const day = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((date) => date.toISOString());

/** Values that (mostly) satisfy the schema, so that calls get past the first checks. */
function valid(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => valid(choice, depth)));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'string'];
  return fc.oneof(...types.map((type) => validOfType(type, schema, depth)));
}

function validOfType(type: string, schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1000, -1_000_000),
        max: Math.min(schema.maximum ?? 1000, 1_000_000),
      });
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(valid(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object': {
      if (depth > 3 || !schema.properties) return fc.constant({});
      const required = new Set(schema.required ?? []);
      return fc.record(
        Object.fromEntries(
          Object.entries(schema.properties).map(([key, property]) => [key, valid(property, depth + 1)]),
        ),
        { requiredKeys: [...required].filter((key) => key in (schema.properties ?? {})) },
      );
    }
    default:
      if (schema.format === 'uuid') return fc.oneof(fc.uuid(), fc.constantFrom(...realIds));
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.format === 'date-time') return day;
      if (schema.format === 'date') return day.map((value) => value.slice(0, 10));
      return fc.string({
        minLength: Math.min(schema.minLength ?? 0, 20),
        maxLength: Math.max(Math.min(schema.maxLength ?? 30, 30), Math.min(schema.minLength ?? 0, 20)),
      });
  }
}

/** A body: near-valid, near-valid with one field made hostile, or hostile as a whole. */
function bodyFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const nearValid = valid(schema);
  const keys = Object.keys(schema.properties ?? {});
  const oneHostileField =
    keys.length === 0
      ? nearValid
      : fc
          .tuple(nearValid, fc.constantFrom(...keys), hostileValue)
          .map(([body, key, value]) =>
            body && typeof body === 'object' && !Array.isArray(body) ? { ...body, [key]: value } : body,
          );
  return fc.oneof(nearValid, oneHostileField, oneHostileField, hostileValue);
}

const pathValue = () =>
  fc.oneof(
    fc.constantFrom(...realIds),
    fc.constant(newId()),
    fc.constantFrom('not-a-uuid', '0', '%2e%2e', 'x'.repeat(300), '00000000-0000-0000-0000-00000000000g'),
  );

/**
 * Cursors shaped like the server's own (base64url JSON with the tags and sorts it uses) but
 * carrying values a decoder might let through: times JavaScript parses and PostgreSQL does not,
 * NUL characters, impossible dates.
 */
const cursorTags = [
  'items',
  'item-events',
  'timeline',
  'gone-quiet',
  'notifications',
  'item-messages',
  'inbound-mail',
];
const sortNames = [
  'name',
  '-name',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'lastContactedAt',
  '-lastContactedAt',
];
const cursorValue = fc.oneof(
  fc.constantFrom(
    '1',
    '\u0000',
    'a\u0000b',
    'Tue Mar 1 2020',
    '2026-02-30T00:00:00Z',
    '2026-12-07T24:00:00Z',
    '275760-09-13T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2026-12-07T10:00:00.123456Z',
    '-infinity',
    'infinity',
    '1.5',
    '9.999',
  ),
  fc.uuid(),
  fc.constant(null),
);
const craftedCursor = fc
  .oneof(
    fc.record({ t: fc.constantFrom(...cursorTags), at: cursorValue, id: fc.uuid() }),
    fc.record({ t: fc.constantFrom(...cursorTags), id: fc.uuid() }),
    fc.record({ s: fc.constantFrom(...sortNames), v: cursorValue, id: fc.uuid() }),
    fc.record({ s: cursorValue, a: fc.uuid(), b: fc.uuid() }),
    fc.tuple(cursorValue, fc.oneof(fc.uuid(), cursorValue)),
  )
  .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'));

/** Up to four documented query parameters, each valid for its schema or hostile. */
function queryFor(operation: Operation): fc.Arbitrary<string> {
  if (operation.query.length === 0) return fc.constant('');
  const pair = fc
    .constantFrom(...operation.query)
    .chain(({ name, schema }) =>
      (name === 'after'
        ? fc.oneof(craftedCursor, hostileString)
        : fc.oneof(valid(schema), hostileString)
      ).map((value) => [name, String(value)] as [string, string]),
    );
  // A list's cursor alone, half the time: other bad parameters would be refused before it is read.
  const cursorOnly = operation.query.some(({ name }) => name === 'after')
    ? craftedCursor.map((cursor) => [['after', cursor] as [string, string]])
    : fc.array(pair, { maxLength: 4 });
  return fc
    .oneof(cursorOnly, fc.array(pair, { maxLength: 4 }))
    .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs)}` : ''));
}

function callArbitrary(operation: Operation) {
  const names = [...operation.path.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1]!);
  return fc.record({
    ids: fc.tuple(...names.map(() => pathValue())),
    query: queryFor(operation),
    body: operation.body ? bodyFor(operation.body) : fc.constant(undefined),
  });
}

/** How often each status was answered: the calls must both succeed and be refused, or they probe nothing. */
const answered = new Map<number, number>();

async function fuzz(client: Client, wanted: (operation: Operation) => boolean, runs: number) {
  answered.clear();
  const chosen = operations.filter(wanted);
  expect(chosen.length).toBeGreaterThan(0);
  for (const operation of chosen) {
    await fc.assert(
      fc.asyncProperty(callArbitrary(operation), async ({ ids, query, body }) => {
        let index = 0;
        const url =
          operation.path.replace(/\{[A-Za-z]+\}/g, () => encodeURIComponent(String(ids[index++]))) + query;
        const response = await client.request(operation.method, url, body);
        answered.set(response.status, (answered.get(response.status) ?? 0) + 1);
        const name = `${operation.method} ${url} ${JSON.stringify(body)?.slice(0, 300)}`;
        expect(response.status, `${name} ${JSON.stringify(response.body).slice(0, 300)}`).toBeLessThan(500);
        if (response.status >= 400 && response.status !== 404) {
          expect(response.headers['content-type'], name).toContain('application/problem+json');
          expect(String(response.body.detail ?? response.body.title ?? '').length, name).toBeGreaterThan(0);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? runs) },
    );
  }
  const count = (from: number, to: number) =>
    [...answered].reduce((sum, [status, n]) => (status >= from && status < to ? sum + n : sum), 0);
  expect(count(200, 300)).toBeGreaterThan(0);
  expect(count(400, 500)).toBeGreaterThan(count(200, 300) / 10);
}

// Signing out would end the session the other calls use; the public setup is one-off.
const skipped = ['/portal/api/v1/auth/sign-out', '/api/v1/auth/logout', '/api/v1/setup'];

describe('every documented operation, called with generated bad input', () => {
  it('never answers 500 to an admin', async () => {
    await fuzz(
      admin,
      (operation) =>
        !skipped.includes(operation.path) &&
        operation.permission !== 'customer' &&
        operation.permission !== 'public',
      12,
    );
  }, 240_000);

  it('never answers 500 to a portal customer', async () => {
    await fuzz(
      customer,
      (operation) => !skipped.includes(operation.path) && operation.permission === 'customer',
      12,
    );
  }, 120_000);
});
