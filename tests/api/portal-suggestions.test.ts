import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { plantItem } from './helpers/listening-items.ts';
import { portalBase, portalCustomer, portalCustomerWithRecord, portalSlugOf } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;
let slug: string;
let ana: Awaited<ReturnType<typeof portalCustomerWithRecord>>;
let ben: Awaited<ReturnType<typeof portalCustomerWithRecord>>;
let other: Awaited<ReturnType<typeof signedInUser>>;
let zed: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  slug = await portalSlugOf(t.database.db, ws);
  ana = await portalCustomerWithRecord(t, admin.client, ws, 'Ana Lovelace', 'ana@example.com');
  ben = await portalCustomerWithRecord(t, admin.client, ws, 'Ben Franklin', 'ben@example.com');
  other = await signedInUser(t, 'admin');
  zed = (await portalCustomer(t, other.workspaceId, 'zed@example.com', '10.9.9.9')).client;
});
afterAll(() => t.close());

const board = `${portalBase}/suggestions`;

/** A suggestion put on the board by staff (through the triage route). */
async function boardSuggestion(subject: string, extra: Parameters<typeof plantItem>[2] = {}) {
  const planted = await plantItem(t.database.db, ws, { kind: 'suggestion', subject, ...extra });
  const put = await admin.client.patch(`/api/v1/portal/suggestions/${planted.id}`, {
    boardStatus: 'under_review',
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return planted;
}

async function setPublic(workspaceId: string, value: boolean) {
  await t.database.db
    .insertInto('portal_settings')
    .values({ workspace_id: workspaceId, public_suggestions: value })
    .onConflict((conflict) => conflict.column('workspace_id').doUpdateSet({ public_suggestions: value }))
    .execute();
}

const votesOf = (itemId: string) =>
  t.database.db.selectFrom('item_votes').selectAll().where('item_id', '=', itemId).execute();

describe('the suggestions board', () => {
  it('shows only suggestions on the board; signed-out visitors only when the board is public', async () => {
    const hidden = await plantItem(t.database.db, ws, { kind: 'suggestion', subject: 'Not triaged yet' });
    const shown = await boardSuggestion('Dark mode');

    const list = await ana.client.get(board);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const ids = list.body.data.map((s: { id: string }) => s.id);
    expect(ids).toContain(shown.id);
    expect(ids).not.toContain(hidden.id);
    expect(list.body.data.find((s: { id: string }) => s.id === shown.id)).toMatchObject({
      ref: shown.ref,
      subject: 'Dark mode',
      status: 'under_review',
      statusLabel: 'Under review',
      voteCount: 0,
      commentCount: 0,
      votedByMe: false,
    });
    expect((await ana.client.get(`${board}/${hidden.id}`)).status).toBe(404);
    expect((await ana.client.post(`${board}/${hidden.id}/vote`)).status).toBe(404);
    expect((await ana.client.post(`${board}/${hidden.id}/comments`, { body: 'Hi' })).status).toBe(404);

    const visitor = t.client();
    const closed = await visitor.get(`${board}?workspace=${slug}`);
    expect(closed.status).toBe(401);
    expect(closed.body.detail).toMatch(/sign in to see suggestions/i);
    expect((await visitor.get(`${board}/${shown.id}?workspace=${slug}`)).status).toBe(401);

    await setPublic(ws, true);
    const open = await visitor.get(`${board}?workspace=${slug}`);
    expect(open.status).toBe(200);
    expect(open.body.data.map((s: { id: string }) => s.id)).toContain(shown.id);
    const detail = await visitor.get(`${board}/${shown.id}?workspace=${slug}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: shown.id, votedByMe: false, comments: [] });
    expect((await visitor.post(`${board}/${shown.id}/vote`)).status).toBe(401);
    await setPublic(ws, false);

    await t.database.db
      .insertInto('portal_settings')
      .values({ workspace_id: ws, show_suggestions: false })
      .onConflict((conflict) => conflict.column('workspace_id').doUpdateSet({ show_suggestions: false }))
      .execute();
    expect((await ana.client.get(board)).status).toBe(404);
    expect((await ana.client.post(`${board}/${shown.id}/vote`)).status).toBe(404);
    await t.database.db
      .updateTable('portal_settings')
      .set({ show_suggestions: true })
      .where('workspace_id', '=', ws)
      .execute();
  });

  it('votes once per customer however often they press, and withdraws cleanly', async () => {
    const suggestion = await boardSuggestion('Export to CSV');
    const url = `${board}/${suggestion.id}/vote`;
    const first = await ana.client.post(url);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ voteCount: 1, votedByMe: true });
    const again = await ana.client.post(url);
    expect(again.body).toEqual({ voteCount: 1, votedByMe: true });
    const byBen = await ben.client.post(url);
    expect(byBen.body).toEqual({ voteCount: 2, votedByMe: true });
    expect(await votesOf(suggestion.id)).toHaveLength(2);

    const seen = await ana.client.get(`${board}/${suggestion.id}`);
    expect(seen.body).toMatchObject({ voteCount: 2, votedByMe: true });

    const withdrawn = await ana.client.delete(url);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toEqual({ voteCount: 1, votedByMe: false });
    expect((await ana.client.delete(url)).body).toEqual({ voteCount: 1, votedByMe: false });
    const votes = await votesOf(suggestion.id);
    expect(votes.map((vote) => vote.person_id)).toEqual([ben.personId]);

    const audits = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_id'])
      .where('entity_id', '=', suggestion.id)
      .where('action', 'in', ['item.voted', 'item.vote_withdrawn'])
      .orderBy('id')
      .execute();
    expect(audits).toEqual([
      { action: 'item.voted', actor_type: 'customer', actor_id: ana.personId },
      { action: 'item.voted', actor_type: 'customer', actor_id: ben.personId },
      { action: 'item.vote_withdrawn', actor_type: 'customer', actor_id: ana.personId },
    ]);
  });

  it('keeps one vote when the same customer votes twice at once', async () => {
    const suggestion = await boardSuggestion('Keyboard shortcuts');
    const url = `${board}/${suggestion.id}/vote`;
    const results = await Promise.all([ana.client.post(url), ana.client.post(url), ana.client.post(url)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await votesOf(suggestion.id)).toHaveLength(1);
    const item = await t.database.db
      .selectFrom('items')
      .select('vote_count')
      .where('id', '=', suggestion.id)
      .executeTakeFirstOrThrow();
    expect(item.vote_count).toBe(1);
  });

  it('creates the record of a customer who votes before they have one', async () => {
    const suggestion = await boardSuggestion('Mobile app');
    const newcomer = await portalCustomer(t, ws, 'newcomer@example.com', '10.1.1.7');
    expect(newcomer.session.personId).toBeNull();
    const voted = await newcomer.client.post(`${board}/${suggestion.id}/vote`);
    expect(voted.body).toEqual({ voteCount: 1, votedByMe: true });
    const [vote] = await votesOf(suggestion.id);
    const person = await t.database.db
      .selectFrom('people')
      .select(['id', 'email_keys'])
      .where('id', '=', vote!.person_id!)
      .executeTakeFirstOrThrow();
    expect(person.email_keys).toEqual(['newcomer@example.com']);
  });

  it('sorts by votes or by date, in keyset pages', async () => {
    await t.database.db
      .updateTable('items')
      .set({ board_status: null })
      .where('workspace_id', '=', ws)
      .execute();
    const a = await boardSuggestion('Sort A');
    const b = await boardSuggestion('Sort B');
    const c = await boardSuggestion('Sort C');
    await ana.client.post(`${board}/${b.id}/vote`);
    await ben.client.post(`${board}/${b.id}/vote`);
    await ana.client.post(`${board}/${a.id}/vote`);

    const pageIds = async (sort: string) => {
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const query: string = `?sort=${sort}&limit=1${after ? `&after=${after}` : ''}`;
        const page = await ana.client.get(`${board}${query}`);
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        ids.push(...page.body.data.map((s: { id: string }) => s.id));
        after = page.body.next;
      } while (after);
      return ids;
    };
    expect(await pageIds('top')).toEqual([b.id, a.id, c.id]);
    expect(await pageIds('new')).toEqual([c.id, b.id, a.id]);

    await admin.client.patch(`/api/v1/portal/suggestions/${a.id}`, { boardStatus: 'planned' });
    const planned = await ana.client.get(`${board}?status=planned`);
    expect(planned.body.data.map((s: { id: string }) => s.id)).toEqual([a.id]);

    const bad = await ana.client.get(`${board}?sort=top&after=nonsense`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.after');
    expect((await ana.client.get(`${board}?sort=sideways`)).status).toBe(400);
    expect((await ana.client.get(`${board}?limit=0`)).status).toBe(400);
  });

  it('moves votes to the survivor of a merge and takes the duplicate off the board', async () => {
    const survivor = await boardSuggestion('Calendar sync');
    const duplicate = await boardSuggestion('Sync with my calendar');
    await ana.client.post(`${board}/${survivor.id}/vote`);
    await ana.client.post(`${board}/${duplicate.id}/vote`);
    await ben.client.post(`${board}/${duplicate.id}/vote`);

    const merged = await admin.client.post(`/api/v1/items/${survivor.id}/merge`, { otherId: duplicate.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);

    const votes = await votesOf(survivor.id);
    expect(votes.map((vote) => vote.person_id).sort()).toEqual([ana.personId, ben.personId].sort());
    const shown = await ben.client.get(`${board}/${survivor.id}`);
    expect(shown.body).toMatchObject({ voteCount: 2, votedByMe: true });
    const list = await ben.client.get(`${board}?limit=100`);
    expect(list.body.data.map((s: { id: string }) => s.id)).not.toContain(duplicate.id);
    expect((await ben.client.get(`${board}/${duplicate.id}`)).status).toBe(404);
    expect((await ben.client.post(`${board}/${duplicate.id}/vote`)).status).toBe(404);
  });

  it('never shows who submitted or voted', async () => {
    const suggestion = await boardSuggestion('Privacy first', {
      personId: ana.personId,
      reporterName: 'Ana Lovelace',
      reporterEmail: 'ana@example.com',
    });
    await ana.client.post(`${board}/${suggestion.id}/vote`);
    await ben.client.post(`${board}/${suggestion.id}/vote`);
    await ben.client.post(`${board}/${suggestion.id}/comments`, { body: 'Yes please' });
    await setPublic(ws, true);
    const visitor = t.client();
    const bodies = [
      (await visitor.get(`${board}?workspace=${slug}&limit=100`)).body,
      (await visitor.get(`${board}/${suggestion.id}?workspace=${slug}`)).body,
      (await ben.client.get(`${board}/${suggestion.id}`)).body,
    ];
    await setPublic(ws, false);
    for (const body of bodies) {
      const json = JSON.stringify(body);
      for (const secret of [
        'ana@example.com',
        'ben@example.com',
        'Lovelace',
        'Franklin',
        ana.personId,
        ben.personId,
      ]) {
        expect(json).not.toContain(secret);
      }
      expect(json).not.toMatch(/reporter|personId|person_id|userId/);
    }
    expect(bodies[2].comments).toEqual([
      expect.objectContaining({ author: 'Ben', byStaff: false, body: 'Yes please' }),
    ]);
  });
});

describe('customer comments', () => {
  it('adds a comment (first name only), refuses empty ones and stores nothing from bots', async () => {
    const suggestion = await boardSuggestion('Comment here');
    const url = `${board}/${suggestion.id}/comments`;
    const added = await ana.client.post(url, { body: '  I would use this daily  ' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ author: 'Ana', byStaff: false, body: 'I would use this daily' });

    const empty = await ana.client.post(url, { body: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe('body.body');
    expect((await ana.client.post(url, { body: 'x'.repeat(5001) })).status).toBe(400);

    const bot = await ben.client.post(url, { body: 'Buy cheap watches', website: 'http://spam.example' });
    expect(bot.status).toBe(201);
    const stored = await t.database.db
      .selectFrom('suggestion_comments')
      .select(['body', 'person_id'])
      .where('item_id', '=', suggestion.id)
      .execute();
    expect(stored).toEqual([{ body: 'I would use this daily', person_id: ana.personId }]);

    const detail = await ana.client.get(`${board}/${suggestion.id}`);
    expect(detail.body.commentCount).toBe(1);
    expect(detail.body.comments.map((c: { author: string }) => c.author)).toEqual(['Ana']);
  });
});

describe('isolation', () => {
  it("refuses a customer of another workspace every route on this workspace's suggestions (404)", async () => {
    const suggestion = await boardSuggestion('Only for workspace one');
    await ana.client.post(`${board}/${suggestion.id}/vote`);
    const attempts = [
      await zed.get(`${board}/${suggestion.id}`),
      await zed.post(`${board}/${suggestion.id}/vote`),
      await zed.delete(`${board}/${suggestion.id}/vote`),
      await zed.post(`${board}/${suggestion.id}/comments`, { body: 'Hello' }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([404, 404, 404, 404]);
    // Within the workspace, withdrawing only ever touches the caller's own vote.
    await ben.client.post(`${board}/${suggestion.id}/vote`);
    const notMine = await ana.client.delete(`${board}/${suggestion.id}/vote`);
    expect(notMine.body).toEqual({ voteCount: 1, votedByMe: false });
    expect((await votesOf(suggestion.id)).map((vote) => vote.person_id)).toEqual([ben.personId]);
    await ana.client.post(`${board}/${suggestion.id}/vote`);
    const own = await zed.get(board);
    expect(own.status).toBe(200);
    expect(own.body.data).toEqual([]);
    expect(await votesOf(suggestion.id)).toHaveLength(2);

    // Another workspace's staff cannot triage it either.
    const staffAttempts = [
      await other.client.get(`/api/v1/portal/suggestions/${suggestion.id}`),
      await other.client.patch(`/api/v1/portal/suggestions/${suggestion.id}`, { boardStatus: 'planned' }),
      await other.client.post(`/api/v1/portal/suggestions/${suggestion.id}/comments`, { body: 'Hi' }),
    ];
    expect(staffAttempts.map((a) => a.status)).toEqual([404, 404, 404]);
    const list = await other.client.get('/api/v1/portal/suggestions');
    expect(list.body.data.map((s: { id: string }) => s.id)).not.toContain(suggestion.id);
  });

  it('refuses staff credentials on the customer routes and portal sessions on the staff routes', async () => {
    const suggestion = await boardSuggestion('Credentials apart');
    expect((await admin.client.post(`${board}/${suggestion.id}/vote`)).status).toBe(401);
    expect((await ana.client.get('/api/v1/portal/suggestions')).status).toBe(401);
  });
});
