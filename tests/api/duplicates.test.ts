import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicatesRefreshJob, refreshDuplicates } from '../../src/features/merges/refresh.ts';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function createPerson(client: Client, body: Record<string, unknown>) {
  const response = await client.post('/api/v1/people', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

type Pair = {
  person: { id: string };
  other: { id: string };
  score: number;
  reasons: { kind: string; detail: string }[];
};
const key = (pair: Pair) => [pair.person.id, pair.other.id].sort().join('+');
const pairOf = (a: { id: string }, b: { id: string }) => [a.id, b.id].sort().join('+');

/** A workspace with people who share an email, a phone, both, a similar name at one organization. */
async function seed() {
  const user = await signedInUser(t, 'manager');
  const c = user.client;
  const org = (await c.post('/api/v1/organizations', { name: 'Globex' })).body;
  const otherOrg = (await c.post('/api/v1/organizations', { name: 'Initech' })).body;
  const emailA = await createPerson(c, {
    givenName: 'Ann',
    familyName: 'Email',
    emails: [{ value: 'ann@example.com' }],
  });
  const emailB = await createPerson(c, {
    givenName: 'Zed',
    familyName: 'Other',
    emails: [{ value: 'ANN@example.com ' }],
  });
  const phoneA = await createPerson(c, {
    givenName: 'Pat',
    familyName: 'Phone',
    phones: [{ value: '+1 (415) 555-0199' }],
  });
  const phoneB = await createPerson(c, {
    givenName: 'Quinn',
    familyName: 'Q',
    phones: [{ value: '415.555.0199' }],
  });
  const bothA = await createPerson(c, {
    givenName: 'Bo',
    familyName: 'Both',
    emails: [{ value: 'bo@example.com' }],
    phones: [{ value: '+1 415 555 0177' }],
  });
  const bothB = await createPerson(c, {
    givenName: 'Beau',
    familyName: 'Both',
    emails: [{ value: 'bo@example.com' }],
    phones: [{ value: '(415) 555-0177' }],
  });
  const nameA = await createPerson(c, {
    givenName: 'Jonathan',
    familyName: 'Smithson',
    organizationId: org.id,
  });
  const nameB = await createPerson(c, {
    givenName: 'Jonathon',
    familyName: 'Smithson',
    organizationId: org.id,
  });
  // Same name, different organizations: not a pair.
  const apart = await createPerson(c, {
    givenName: 'Jonathan',
    familyName: 'Smithson',
    organizationId: otherOrg.id,
  });
  // Different name, same organization: not a pair.
  const colleague = await createPerson(c, {
    givenName: 'Wilhelmina',
    familyName: 'Krueger',
    organizationId: org.id,
  });
  return { user, org, emailA, emailB, phoneA, phoneB, bothA, bothB, nameA, nameB, apart, colleague };
}

describe('listing likely duplicates', () => {
  it('finds shared emails, shared phones, similar names at one organization; best first, with reasons', async () => {
    const s = await seed();
    const response = await s.user.client.get('/api/v1/duplicates');
    expect(response.status).toBe(200);
    const pairs: Pair[] = response.body.data;
    expect(response.body.next).toBeNull();
    expect(pairs.map(key)).toEqual([
      pairOf(s.bothA, s.bothB),
      pairOf(s.emailA, s.emailB),
      pairOf(s.phoneA, s.phoneB),
      pairOf(s.nameA, s.nameB),
    ]);
    const [both, email, phone, name] = pairs as [Pair, Pair, Pair, Pair];
    expect(both.reasons.map((reason) => reason.kind)).toEqual(['email', 'phone', 'name']);
    expect(both.score).toBeGreaterThan(0.88);
    expect(both.score).toBeLessThanOrEqual(1);
    expect(email).toMatchObject({
      score: 0.7,
      reasons: [{ kind: 'email', detail: 'Same email: ann@example.com' }],
    });
    expect(phone).toMatchObject({
      score: 0.6,
      reasons: [{ kind: 'phone', detail: 'Same phone: +14155550199' }],
    });
    expect(name.reasons.map((reason) => reason.kind)).toEqual(['name', 'organization']);
    expect(name.reasons[1]!.detail).toBe('Same organization: Globex');
    expect(name.score).toBeGreaterThan(0.4);
    expect(name.score).toBeLessThan(0.7);
    // The older record comes first, with the full person for a side-by-side comparison.
    expect(email.person).toMatchObject({
      id: s.emailA.id,
      displayName: 'Ann Email',
      emails: [{ value: 'ann@example.com' }],
    });
    expect(email.other.id).toBe(s.emailB.id);
  });

  it('pages through the pairs with a cursor, each pair once', async () => {
    const s = await seed();
    const all = (await s.user.client.get('/api/v1/duplicates?limit=100')).body.data.map(key);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const url: string = `/api/v1/duplicates?limit=1${after ? `&after=${after}` : ''}`;
      const response = await s.user.client.get(url);
      expect(response.status).toBe(200);
      seen.push(...response.body.data.map(key));
      after = response.body.next;
    } while (after && seen.length < 10);
    expect(seen).toEqual(all);
    expect(all).toHaveLength(4);
    const bad = await s.user.client.get('/api/v1/duplicates?after=garbage');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('query.after');
    expect((await s.user.client.get('/api/v1/duplicates?limit=0')).status).toBe(400);
  });

  it('ignores an email shared by more than 50 people (a role address)', async () => {
    const user = await signedInUser(t, 'admin');
    for (let i = 0; i < 51; i += 1) {
      await t.database.db
        .insertInto('people')
        .values({
          id: newId(),
          workspace_id: user.workspaceId,
          display_name: `Front desk ${i}`,
          sort_name: `front desk ${i}`,
          search_name: `front desk ${i}`,
          search_text: `front desk ${i}`,
          email_keys: ['info@example.com'],
          stage: 'other',
          custom_display_name: true,
        })
        .execute();
    }
    expect((await user.client.get('/api/v1/duplicates')).body.data).toEqual([]);
  });

  it('leaves out merged and deleted people', async () => {
    const s = await seed();
    expect((await s.user.client.delete(`/api/v1/people/${s.phoneB.id}`)).status).toBe(204);
    const merged = await s.user.client.post(`/api/v1/people/${s.emailA.id}/merge`, { otherId: s.emailB.id });
    expect(merged.status).toBe(200);
    const pairs: Pair[] = (await s.user.client.get('/api/v1/duplicates')).body.data;
    expect(pairs.map(key)).toEqual([pairOf(s.bothA, s.bothB), pairOf(s.nameA, s.nameB)]);
    // Undo brings the pair back.
    expect((await s.user.client.post(`/api/v1/merges/${merged.body.merge.id}/undo`)).status).toBe(200);
    const again: Pair[] = (await s.user.client.get('/api/v1/duplicates')).body.data;
    expect(again.map(key)).toContain(pairOf(s.emailA, s.emailB));
  });
});

describe('keeping the candidates up to date', () => {
  it('follows edits: a changed email drops the pair, a new shared phone adds one', async () => {
    const s = await seed();
    const changed = await s.user.client.patch(`/api/v1/people/${s.emailB.id}`, {
      emails: [{ value: 'zed@example.com' }],
      version: s.emailB.version,
    });
    expect(changed.status).toBe(200);
    let pairs: Pair[] = (await s.user.client.get('/api/v1/duplicates')).body.data;
    expect(pairs.map(key)).not.toContain(pairOf(s.emailA, s.emailB));
    const joined = await s.user.client.patch(`/api/v1/people/${s.colleague.id}`, {
      phones: [{ value: '+1 415 555 0199' }],
      version: s.colleague.version,
    });
    expect(joined.status).toBe(200);
    pairs = (await s.user.client.get('/api/v1/duplicates')).body.data;
    expect(pairs.map(key)).toContain(pairOf(s.phoneA, s.colleague));
    expect(pairs.map(key)).toContain(pairOf(s.phoneB, s.colleague));
    const stored = await t.database.db
      .selectFrom('duplicate_candidates')
      .selectAll()
      .where('workspace_id', '=', s.user.workspaceId)
      .execute();
    expect(stored.some((row) => [row.person_a, row.person_b].includes(s.emailB.id))).toBe(false);
  });
});

describe('dismissing a pair', () => {
  it('stores and audits "not duplicates"; the pair is left out afterwards', async () => {
    const s = await seed();
    const response = await s.user.client.post('/api/v1/duplicates/dismiss', {
      personId: s.emailB.id,
      otherId: s.emailA.id,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ personId: s.emailB.id, otherId: s.emailA.id });
    const pairs: Pair[] = (await s.user.client.get('/api/v1/duplicates')).body.data;
    expect(pairs.map(key)).not.toContain(pairOf(s.emailA, s.emailB));
    expect(pairs).toHaveLength(3);
    // Twice is fine, and audited once.
    expect(
      (
        await s.user.client.post('/api/v1/duplicates/dismiss', {
          personId: s.emailA.id,
          otherId: s.emailB.id,
        })
      ).status,
    ).toBe(200);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'duplicate.dismissed')
      .where('workspace_id', '=', s.user.workspaceId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({
      personId: [s.emailA.id, s.emailB.id].sort()[0],
      otherId: [s.emailA.id, s.emailB.id].sort()[1],
    });
  });

  it('answers 422 for the same person, 404 for unknown or foreign people, 400 for bad ids', async () => {
    const s = await seed();
    const same = await s.user.client.post('/api/v1/duplicates/dismiss', {
      personId: s.emailA.id,
      otherId: s.emailA.id,
    });
    expect(same.status).toBe(422);
    expect(
      (await s.user.client.post('/api/v1/duplicates/dismiss', { personId: s.emailA.id, otherId: newId() }))
        .status,
    ).toBe(404);
    const stranger = await signedInUser(t, 'admin');
    const theirs = await createPerson(stranger.client, { givenName: 'Stranger' });
    expect(
      (await s.user.client.post('/api/v1/duplicates/dismiss', { personId: s.emailA.id, otherId: theirs.id }))
        .status,
    ).toBe(404);
    expect(
      (
        await stranger.client.post('/api/v1/duplicates/dismiss', {
          personId: s.emailA.id,
          otherId: s.emailB.id,
        })
      ).status,
    ).toBe(404);
    const bad = await s.user.client.post('/api/v1/duplicates/dismiss', {
      personId: 'x',
      otherId: s.emailA.id,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('personId');
  });
});

describe('permissions and workspaces', () => {
  it('refuses agents and executives with 403, and never shows another workspace', async () => {
    const s = await seed();
    for (const role of ['agent', 'executive'] as const) {
      const user = await signedInUser(t, role, s.user.workspaceId);
      expect((await user.client.get('/api/v1/duplicates')).status).toBe(403);
      expect(
        (
          await user.client.post('/api/v1/duplicates/dismiss', {
            personId: s.emailA.id,
            otherId: s.emailB.id,
          })
        ).status,
      ).toBe(403);
    }
    const stranger = await signedInUser(t, 'admin');
    await createPerson(stranger.client, {
      givenName: 'Ann',
      familyName: 'Email',
      emails: [{ value: 'ann@example.com' }],
    });
    expect((await stranger.client.get('/api/v1/duplicates')).body).toEqual({ data: [], next: null });
  });
});

describe('the refresh job', () => {
  it('computes candidates of queued people in the background; writes only queue them', async () => {
    const user = await signedInUser(t, 'manager');
    const a = await createPerson(user.client, {
      givenName: 'Queued',
      emails: [{ value: 'queued@example.com' }],
    });
    const b = await createPerson(user.client, {
      givenName: 'Later',
      emails: [{ value: 'QUEUED@example.com' }],
    });
    const stored = () =>
      t.database.db
        .selectFrom('duplicate_candidates')
        .select(['person_a', 'person_b'])
        .where('workspace_id', '=', user.workspaceId)
        .execute();
    expect(await stored()).toEqual([]);

    await refreshDuplicates(t.deps);
    expect((await stored()).map((row) => [row.person_a, row.person_b].sort().join('+'))).toEqual([
      pairOf(a, b),
    ]);
    const queued = await sql<{ n: number }>`select count(*)::int as n from duplicate_queue
      where workspace_id = ${user.workspaceId}`.execute(t.database.db);
    expect(queued.rows[0]?.n).toBe(0);
    const next = await t.database.db
      .selectFrom('jobs')
      .select('run_at')
      .where('kind', '=', duplicatesRefreshJob)
      .where('status', '=', 'queued')
      .execute();
    expect(next.length).toBeGreaterThan(0);
  });
});
