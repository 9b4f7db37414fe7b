import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  outsider = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const daysAgo = (days: number) => minutesAgo(days * 24 * 60);

async function person(client: Client, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/people', { givenName: 'Ada', familyName: 'Lovelace', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; displayName: string; version: number };
}

async function log(client: Client, body: Record<string, unknown>) {
  const response = await client.post('/api/v1/interactions', { type: 'call', summary: 'Caught up', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function lastContacted(id: string) {
  const row = await t.database.db
    .selectFrom('people')
    .select(['last_contacted_at', 'next_follow_up_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.last_contacted_at?.toISOString() ?? null;
}

describe('logging an interaction', () => {
  it('records participants, defaults staff to the caller and moves last contacted forward', async () => {
    const ada = await person(admin.client);
    const bob = await person(admin.client, { givenName: 'Bob', familyName: 'Babbage' });
    const when = minutesAgo(30);
    const followUp = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const created = await log(admin.client, {
      type: 'meeting',
      channel: 'video',
      direction: 'outbound',
      occurredAt: when,
      durationMinutes: 45,
      summary: '  Demo of the new plan ',
      outcome: 'Will decide next week',
      personIds: [ada.id, bob.id, ada.id],
      nextFollowUpAt: followUp,
    });
    expect(created).toMatchObject({
      type: 'meeting',
      channel: 'video',
      direction: 'outbound',
      occurredAt: when,
      durationMinutes: 45,
      summary: 'Demo of the new plan',
      outcome: 'Will decide next week',
      organization: null,
      staff: [{ id: admin.user.id, name: admin.user.name }],
      createdBy: admin.user.id,
      version: 1,
    });
    expect(created.people.map((p: { id: string }) => p.id).sort()).toEqual([ada.id, bob.id].sort());
    expect(created.people.find((p: { id: string }) => p.id === ada.id).displayName).toBe('Ada Lovelace');
    expect(await lastContacted(ada.id)).toBe(when);
    const read = await admin.client.get(`/api/v1/people/${ada.id}`);
    expect(read.body.lastContactedAt).toBe(when);
    expect(read.body.nextFollowUpAt).toBe(followUp);
    expect(read.body.version).toBe(ada.version); // logging a call does not make the person's edit form stale

    const got = await admin.client.get(`/api/v1/interactions/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created);
    expect(got.headers.etag).toBe('"1"');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', created.id)
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['interaction.created']);
  });

  it('defaults occurredAt to now; a note or an older contact does not move last contacted', async () => {
    const ada = await person(admin.client);
    const before = Date.now();
    const now = await log(admin.client, { personIds: [ada.id] });
    expect(Date.parse(now.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
    const latest = await lastContacted(ada.id);
    expect(latest).toBe(now.occurredAt);
    await log(admin.client, { type: 'email', personIds: [ada.id], occurredAt: daysAgo(3) });
    expect(await lastContacted(ada.id)).toBe(latest);
    const fresh = await person(admin.client);
    await log(admin.client, { type: 'note', personIds: [fresh.id], summary: 'Likes tea' });
    expect(await lastContacted(fresh.id)).toBeNull();
  });

  it('accepts an organization without people', async () => {
    const org = await admin.client.post('/api/v1/organizations', { name: 'Analytical Engines' });
    const created = await log(admin.client, { type: 'visit', organizationId: org.body.id });
    expect(created.organization).toEqual({ id: org.body.id, name: 'Analytical Engines' });
    expect(created.people).toEqual([]);
  });

  it('refuses bad input with 400 or a 422 naming the field', async () => {
    const ada = await person(admin.client);
    const noOne = await admin.client.post('/api/v1/interactions', { type: 'call', summary: 'x' });
    expect(noOne.status).toBe(400);
    expect(noOne.body.errors[0].path).toBe('body.personIds');
    const badType = await admin.client.post('/api/v1/interactions', {
      type: 'telegram',
      summary: 'x',
      personIds: [ada.id],
    });
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].path).toBe('body.type');
    const empty = await admin.client.post('/api/v1/interactions', {
      type: 'call',
      summary: ' ',
      personIds: [ada.id],
    });
    expect(empty.status).toBe(400);

    const foreign = await person(outsider.client);
    const unknown = await admin.client.post('/api/v1/interactions', {
      type: 'call',
      summary: 'x',
      personIds: [ada.id, foreign.id],
      staffIds: [outsider.user.id],
      occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['body.occurredAt', 'body.personIds.1', 'body.staffIds.0'].sort(),
    );
    const org = await outsider.client.post('/api/v1/organizations', { name: 'Elsewhere' });
    const badOrg = await admin.client.post('/api/v1/interactions', {
      type: 'call',
      summary: 'x',
      organizationId: org.body.id,
    });
    expect(badOrg.status).toBe(422);
    expect(badOrg.body.errors[0].path).toBe('body.organizationId');
  });
});

describe('permissions and workspaces', () => {
  it('lets an executive read but not write', async () => {
    const ada = await person(admin.client);
    const call = await log(admin.client, { personIds: [ada.id] });
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.get(`/api/v1/interactions/${call.id}`)).status).toBe(200);
    expect((await executive.client.get(`/api/v1/people/${ada.id}/timeline`)).status).toBe(200);
    expect(
      (
        await executive.client.post('/api/v1/interactions', {
          type: 'call',
          summary: 'x',
          personIds: [ada.id],
        })
      ).status,
    ).toBe(403);
    expect((await executive.client.patch(`/api/v1/interactions/${call.id}`, { version: 1 })).status).toBe(
      403,
    );
    expect((await executive.client.delete(`/api/v1/interactions/${call.id}`)).status).toBe(403);
    const agent = await signedInUser(t, 'agent', admin.workspaceId);
    expect(
      (await agent.client.patch(`/api/v1/interactions/${call.id}`, { version: 1, summary: 'ok' })).status,
    ).toBe(200);
  });

  it("answers 404 for another workspace's interactions, people and organizations", async () => {
    const ada = await person(admin.client);
    const org = await admin.client.post('/api/v1/organizations', { name: 'Mine' });
    const call = await log(admin.client, { personIds: [ada.id], organizationId: org.body.id });
    const c = outsider.client;
    expect((await c.get(`/api/v1/interactions/${call.id}`)).status).toBe(404);
    expect((await c.patch(`/api/v1/interactions/${call.id}`, { version: 1, summary: 'mine' })).status).toBe(
      404,
    );
    expect((await c.delete(`/api/v1/interactions/${call.id}`)).status).toBe(404);
    expect((await c.post(`/api/v1/interactions/${call.id}/restore`)).status).toBe(404);
    expect((await c.get(`/api/v1/people/${ada.id}/timeline`)).status).toBe(404);
    expect((await c.get(`/api/v1/organizations/${org.body.id}/timeline`)).status).toBe(404);
    expect((await c.get(`/api/v1/interactions?personId=${ada.id}`)).status).toBe(404);
    const all = await c.get('/api/v1/interactions');
    expect(all.body.data.map((i: { id: string }) => i.id)).not.toContain(call.id);
  });
});

describe('changing and deleting', () => {
  it('needs the version; a stale one gets 409, and of two concurrent saves one wins', async () => {
    const ada = await person(admin.client);
    const call = await log(admin.client, { personIds: [ada.id] });
    const url = `/api/v1/interactions/${call.id}`;
    expect((await admin.client.patch(url, { summary: 'No version' })).status).toBe(400);
    const ok = await admin.client.patch(
      url,
      { summary: 'Talked pricing', outcome: 'Sent a quote' },
      { 'if-match': '"1"' },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ summary: 'Talked pricing', outcome: 'Sent a quote', version: 2 });
    const stale = await admin.client.patch(url, { summary: 'Stale', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('version 2');

    const other = await signedInUser(t, 'agent', admin.workspaceId);
    const results = await Promise.all([
      admin.client.patch(url, { summary: 'Mine', version: 2 }),
      other.client.patch(url, { summary: 'Theirs', version: 2 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('moves participants and recomputes last contacted when the time, type or people change', async () => {
    const ada = await person(admin.client);
    const bob = await person(admin.client, { givenName: 'Bob' });
    const older = await log(admin.client, { personIds: [ada.id], occurredAt: daysAgo(10) });
    const newer = await log(admin.client, { personIds: [ada.id], occurredAt: daysAgo(2) });
    expect(await lastContacted(ada.id)).toBe(newer.occurredAt);
    const moved = await admin.client.patch(`/api/v1/interactions/${newer.id}`, {
      version: 1,
      personIds: [bob.id],
    });
    expect(moved.status).toBe(200);
    expect(moved.body.people).toEqual([{ id: bob.id, displayName: bob.displayName }]);
    expect(await lastContacted(ada.id)).toBe(older.occurredAt);
    expect(await lastContacted(bob.id)).toBe(newer.occurredAt);
    const asNote = await admin.client.patch(`/api/v1/interactions/${newer.id}`, { version: 2, type: 'note' });
    expect(asNote.status).toBe(200);
    expect(await lastContacted(bob.id)).toBeNull();
    const when = daysAgo(1);
    await admin.client.patch(`/api/v1/interactions/${older.id}`, { version: 1, occurredAt: when });
    expect(await lastContacted(ada.id)).toBe(when);
    const timeline = await admin.client.get(`/api/v1/people/${ada.id}/timeline`);
    expect(timeline.body.data[0]).toMatchObject({ id: older.id, occurredAt: when });
  });

  it('refuses to leave an interaction with nobody, and checks new participants', async () => {
    const ada = await person(admin.client);
    const call = await log(admin.client, { personIds: [ada.id] });
    const url = `/api/v1/interactions/${call.id}`;
    const nobody = await admin.client.patch(url, { version: 1, personIds: [] });
    expect(nobody.status).toBe(422);
    expect(nobody.body.errors[0].path).toBe('body.personIds');
    const foreign = await person(outsider.client);
    const stranger = await admin.client.patch(url, {
      version: 1,
      personIds: [foreign.id],
      staffIds: [outsider.user.id],
    });
    expect(stranger.status).toBe(422);
    expect(stranger.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'body.personIds.0',
      'body.staffIds.0',
    ]);
    const unchanged = await admin.client.get(url);
    expect(unchanged.body).toMatchObject({ version: 1, people: [{ id: ada.id }] });
  });

  it('pages the whole workspace list newest first', async () => {
    const w = await signedInUser(t, 'agent');
    const p = await person(w.client);
    const made = [];
    for (let i = 3; i >= 1; i -= 1)
      made.push(await log(w.client, { personIds: [p.id], occurredAt: daysAgo(i) }));
    const first = await w.client.get('/api/v1/interactions?limit=2');
    expect(first.body.data.map((i: { id: string }) => i.id)).toEqual([made[2].id, made[1].id]);
    const second = await w.client.get(`/api/v1/interactions?limit=2&after=${first.body.next}`);
    expect(second.body.data.map((i: { id: string }) => i.id)).toEqual([made[0].id]);
    expect(second.body.next).toBeNull();
  });

  it('recomputes last contacted on delete and on restore', async () => {
    const ada = await person(admin.client);
    const first = await log(admin.client, { personIds: [ada.id], occurredAt: daysAgo(5) });
    const second = await log(admin.client, { personIds: [ada.id], occurredAt: daysAgo(1) });
    expect((await admin.client.delete(`/api/v1/interactions/${second.id}`)).status).toBe(204);
    expect(await lastContacted(ada.id)).toBe(first.occurredAt);
    expect((await admin.client.get(`/api/v1/interactions/${second.id}`)).status).toBe(404);
    expect(
      (await admin.client.delete(`/api/v1/interactions/${first.id}`, { 'if-match': '"1"' })).status,
    ).toBe(204);
    expect(await lastContacted(ada.id)).toBeNull();
    const timeline = await admin.client.get(`/api/v1/people/${ada.id}/timeline`);
    expect(timeline.body.data).toEqual([]);
    const restored = await admin.client.post(`/api/v1/interactions/${second.id}/restore`);
    expect(restored.status).toBe(200);
    expect(await lastContacted(ada.id)).toBe(second.occurredAt);
    expect((await admin.client.post(`/api/v1/interactions/${second.id}/restore`)).status).toBe(409);
    const actions = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', second.id)
      .orderBy('id')
      .execute();
    expect(actions.map((row) => row.action)).toEqual([
      'interaction.created',
      'interaction.deleted',
      'interaction.restored',
    ]);
  });
});

describe('timelines', () => {
  it("pages a person's timeline newest first, with ties on the time, and filters by type", async () => {
    const ada = await person(admin.client);
    const same = minutesAgo(60);
    const made = [];
    for (const [type, at] of [
      ['call', daysAgo(5)],
      ['email', daysAgo(4)],
      ['meeting', same],
      ['call', same],
      ['note', minutesAgo(1)],
    ] as const) {
      made.push(await log(admin.client, { type, occurredAt: at, personIds: [ada.id] }));
    }
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/people/${ada.id}/timeline?limit=2${next ? `&after=${next}` : ''}`;
      const response = await admin.client.get(url);
      expect(response.status).toBe(200);
      seen.push(...response.body.data.map((i: { id: string }) => i.id));
      next = response.body.next;
      pages += 1;
    } while (next);
    expect(pages).toBe(3);
    const expected = [made[4], made[3], made[2], made[1], made[0]].map((i) => i.id);
    expect(seen).toEqual(expected);

    const calls = await admin.client.get(`/api/v1/people/${ada.id}/timeline?type=call&type=email`);
    expect(calls.body.data.map((i: { type: string }) => i.type)).toEqual(['call', 'email', 'call']);
    const listed = await admin.client.get(`/api/v1/interactions?personId=${ada.id}&type=note`);
    expect(listed.body.data.map((i: { id: string }) => i.id)).toEqual([made[4].id]);
    const badCursor = await admin.client.get(`/api/v1/people/${ada.id}/timeline?after=nonsense`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors[0].path).toBe('query.after');
    expect((await admin.client.get(`/api/v1/people/${ada.id}/timeline?type=fax`)).status).toBe(400);
    const both = await admin.client.get(`/api/v1/interactions?personId=${ada.id}&organizationId=${ada.id}`);
    expect(both.status).toBe(400);
  });

  it("merges an organization's interactions with its people's, each once", async () => {
    const org = (await admin.client.post('/api/v1/organizations', { name: 'Difference Engines' })).body;
    const ada = await person(admin.client, { organizationId: org.id });
    const bob = await person(admin.client, { givenName: 'Bob', organizationId: org.id });
    const stranger = await person(admin.client, { givenName: 'Carl' });
    const direct = await log(admin.client, { organizationId: org.id, occurredAt: daysAgo(5) });
    const viaPerson = await log(admin.client, { personIds: [ada.id], occurredAt: daysAgo(4) });
    const both = await log(admin.client, {
      personIds: [ada.id],
      organizationId: org.id,
      occurredAt: daysAgo(3),
    });
    const twoPeople = await log(admin.client, { personIds: [ada.id, bob.id], occurredAt: daysAgo(2) });
    const withStranger = await log(admin.client, {
      personIds: [bob.id, stranger.id],
      occurredAt: daysAgo(1),
    });
    await log(admin.client, { personIds: [stranger.id], occurredAt: minutesAgo(5) });

    const expected = [withStranger, twoPeople, both, viaPerson, direct].map((i) => i.id);
    const whole = await admin.client.get(`/api/v1/organizations/${org.id}/timeline`);
    expect(whole.status).toBe(200);
    expect(whole.body.data.map((i: { id: string }) => i.id)).toEqual(expected);
    expect(whole.body.next).toBeNull();
    for (const limit of [1, 2]) {
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const url: string = `/api/v1/organizations/${org.id}/timeline?limit=${limit}${next ? `&after=${next}` : ''}`;
        const response = await admin.client.get(url);
        seen.push(...response.body.data.map((i: { id: string }) => i.id));
        next = response.body.next;
      } while (next);
      expect(seen).toEqual(expected);
    }
    const viaList = await admin.client.get(`/api/v1/interactions?organizationId=${org.id}&type=visit`);
    expect(viaList.body.data).toEqual([]);

    // A page boundary right after an interaction shared by two of its people still has a next page.
    const small = (await admin.client.post('/api/v1/organizations', { name: 'Small' })).body;
    const dora = await person(admin.client, { givenName: 'Dora', organizationId: small.id });
    const eve = await person(admin.client, { givenName: 'Eve', organizationId: small.id });
    const shared = await log(admin.client, { personIds: [dora.id, eve.id], occurredAt: daysAgo(1) });
    const alone = await log(admin.client, { personIds: [eve.id], occurredAt: daysAgo(2) });
    const page1 = await admin.client.get(`/api/v1/organizations/${small.id}/timeline?limit=1`);
    expect(page1.body.data.map((i: { id: string }) => i.id)).toEqual([shared.id]);
    const page2 = await admin.client.get(
      `/api/v1/organizations/${small.id}/timeline?limit=1&after=${page1.body.next}`,
    );
    expect(page2.body.data.map((i: { id: string }) => i.id)).toEqual([alone.id]);
  });
});
