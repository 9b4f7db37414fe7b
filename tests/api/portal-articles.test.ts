// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer, portalSlugOf } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let other: Awaited<ReturnType<typeof signedInUser>>;
let slug: string;
let otherSlug: string;

const staffBase = '/api/v1/portal/articles';

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  other = await signedInUser(t, 'admin');
  slug = await portalSlugOf(t.database.db, admin.workspaceId);
  otherSlug = await portalSlugOf(t.database.db, other.workspaceId);
});
afterAll(() => t.close());

async function article(client: Client, body: Record<string, unknown>) {
  const response = await client.post(staffBase, { status: 'published', ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as any;
}

const anonymous = () => t.client();
const auditActions = async (entityId: string) =>
  (
    await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', entityId)
      .orderBy('created_at')
      .execute()
  ).map((row) => row.action);

describe('staff articles', () => {
  it('creates, reads, lists, updates (409 when stale) and deletes, auditing each write', async () => {
    const created = await admin.client.post(staffBase, {
      title: 'How to reset your password',
      category: 'Account',
      body: 'Go to **settings**.',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      views: 0,
      helpfulYes: 0,
      flagged: false,
      publishedAt: null,
    });
    const id = created.body.id;

    const read = await admin.client.get(`${staffBase}/${id}`);
    expect(read.body.title).toBe('How to reset your password');

    const published = await admin.client.patch(`${staffBase}/${id}`, {
      updatedAt: read.body.updatedAt,
      status: 'published',
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.publishedAt).not.toBeNull();

    const stale = await admin.client.patch(`${staffBase}/${id}`, {
      updatedAt: read.body.updatedAt,
      title: 'Old',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/Reload it/);

    const listed = await admin.client.get(`${staffBase}?status=published&category=Account`);
    expect(listed.body.data.map((row: any) => row.id)).toContain(id);
    expect(
      (await admin.client.get(`${staffBase}?status=draft`)).body.data.map((row: any) => row.id),
    ).not.toContain(id);

    expect((await admin.client.delete(`${staffBase}/${id}`)).status).toBe(204);
    expect((await admin.client.get(`${staffBase}/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual([
      'kb_article.created',
      'kb_article.updated',
      'kb_article.deleted',
    ]);
  });

  it('lets only one of two concurrent saves of the same version through', async () => {
    const created = await article(admin.client, { title: 'Edited twice' });
    const saves = await Promise.all(
      ['First', 'Second'].map((title) =>
        admin.client.patch(`${staffBase}/${created.id}`, { updatedAt: created.updatedAt, title }),
      ),
    );
    expect(saves.map((save) => save.status).sort()).toEqual([200, 409]);
    const winner = saves.find((save) => save.status === 200)!.body.title;
    expect((await admin.client.get(`${staffBase}/${created.id}`)).body.title).toBe(winner);
  });

  it('refuses bad input with 400 and says what to fix', async () => {
    const empty = await admin.client.post(staffBase, { title: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe('body.title');
    expect((await admin.client.post(staffBase, { title: 'x', status: 'live' })).status).toBe(400);
    const created = await article(admin.client, { title: 'Nothing to change' });
    const nothing = await admin.client.patch(`${staffBase}/${created.id}`, { updatedAt: created.updatedAt });
    expect(nothing.status).toBe(400);
    expect((await admin.client.get(`${staffBase}/not-a-uuid`)).status).toBe(400);
    expect((await admin.client.get(`${staffBase}?after=garbage`)).status).toBe(400);
    expect((await admin.client.get('/api/v1/portal/deflection?from=yesterday')).status).toBe(400);
  });

  it('lets an executive read but not write (403); another workspace’s staff get 404', async () => {
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.post(staffBase, { title: 'Mine' })).status).toBe(403);
    expect((await executive.client.get(staffBase)).status).toBe(200);
    const mine = await article(admin.client, { title: 'Workspace one only' });
    expect(
      (await executive.client.patch(`${staffBase}/${mine.id}`, { updatedAt: mine.updatedAt, title: 'x' }))
        .status,
    ).toBe(403);
    expect((await executive.client.delete(`${staffBase}/${mine.id}`)).status).toBe(403);

    expect((await other.client.get(`${staffBase}/${mine.id}`)).status).toBe(404);
    expect(
      (await other.client.patch(`${staffBase}/${mine.id}`, { updatedAt: mine.updatedAt, title: 'x' })).status,
    ).toBe(404);
    expect((await other.client.delete(`${staffBase}/${mine.id}`)).status).toBe(404);
    expect((await other.client.get(staffBase)).body.data.map((row: any) => row.id)).not.toContain(mine.id);
    expect((await anonymous().get(staffBase)).status).toBe(401);
  });

  it('pages the list with a cursor', async () => {
    const fresh = await signedInUser(t, 'admin');
    for (const title of ['P1', 'P2', 'P3']) await article(fresh.client, { title });
    const first = await fresh.client.get(`${staffBase}?limit=2`);
    expect(first.body.data.map((row: any) => row.title)).toEqual(['P3', 'P2']);
    const second = await fresh.client.get(`${staffBase}?limit=2&after=${first.body.next}`);
    expect(second.body.data.map((row: any) => row.title)).toEqual(['P1']);
    expect(second.body.next).toBeNull();
  });
});

describe('customers reading articles', () => {
  it('shows published articles only, counts views, and 404s drafts and other portals’ articles', async () => {
    const published = await article(admin.client, { title: 'Opening hours', body: 'We are open **9–5**.' });
    const draft = await article(admin.client, { title: 'Secret draft', status: 'draft' });
    const elsewhere = await article(other.client, { title: 'Opening hours elsewhere' });

    const list = await anonymous().get(`${portalBase}/articles?workspace=${slug}`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const ids = list.body.data.map((row: any) => row.id);
    expect(ids).toContain(published.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(elsewhere.id);

    const read = await anonymous().get(`${portalBase}/articles/${published.id}?workspace=${slug}`);
    expect(read.body).toMatchObject({ title: 'Opening hours', body: 'We are open **9–5**.', myAnswer: null });
    expect((await admin.client.get(`${staffBase}/${published.id}`)).body.views).toBe(1);

    expect((await anonymous().get(`${portalBase}/articles/${draft.id}?workspace=${slug}`)).status).toBe(404);
    expect((await anonymous().get(`${portalBase}/articles/${elsewhere.id}?workspace=${slug}`)).status).toBe(
      404,
    );
    const customer = await portalCustomer(t, admin.workspaceId, 'reader@example.com');
    expect((await customer.client.get(`${portalBase}/articles/${elsewhere.id}`)).status).toBe(404);
    expect((await customer.client.get(`${portalBase}/articles/${draft.id}`)).status).toBe(404);
    expect(
      (await customer.client.post(`${portalBase}/articles/${elsewhere.id}/feedback`, { helpful: true }))
        .status,
    ).toBe(404);
    // A workspace-1 customer naming workspace 2 still reads their own portal.
    const cross = await customer.client.get(`${portalBase}/articles?workspace=${otherSlug}`);
    expect(cross.body.data.map((row: any) => row.id)).not.toContain(elsewhere.id);
  });

  it('searches: title matches first, the last word as a prefix, nothing for no match, plain-text snippets', async () => {
    const ws = await signedInUser(t, 'admin');
    const wsSlug = await portalSlugOf(t.database.db, ws.workspaceId);
    const inBody = await article(ws.client, {
      title: 'Shipping times',
      body: 'Parcels arrive in 3 days. If one is lost, ask for a **refund** within 30 days.',
    });
    const inTitle = await article(ws.client, {
      title: 'Refund policy',
      body: 'How money comes back.',
      category: 'Billing',
    });
    await article(ws.client, { title: 'Draft refund', status: 'draft' });

    const search = (q: string) =>
      anonymous().get(`${portalBase}/articles?workspace=${wsSlug}&q=${encodeURIComponent(q)}`);
    const ranked = await search('refund');
    expect(ranked.body.data.map((row: any) => row.id)).toEqual([inTitle.id, inBody.id]);
    expect(ranked.body.data[1].snippet).toContain('refund');
    expect(ranked.body.data[1].snippet).not.toContain('**');

    expect((await search('refu')).body.data.map((row: any) => row.id)).toEqual([inTitle.id, inBody.id]);
    expect((await search('parcels arr')).body.data.map((row: any) => row.id)).toEqual([inBody.id]);
    expect((await search('teleportation')).body.data).toEqual([]);
    expect((await search("'; drop table kb_articles; --")).status).toBe(200);
    expect((await search('!!!')).body.data).toEqual([]);

    // While writing a request: any telling word matches (a long text would match nothing with all words).
    const suggest = (text: string) =>
      anonymous().get(
        `${portalBase}/articles?workspace=${wsSlug}&match=any&limit=3&q=${encodeURIComponent(text)}`,
      );
    const written = await suggest('Hello, my parcel never arrived and I would like a refund please');
    expect(written.body.data.map((row: any) => row.id).sort()).toEqual([inBody.id, inTitle.id].sort());
    expect((await suggest('where are my parcels')).body.data.map((row: any) => row.id)).toEqual([inBody.id]);
    expect((await suggest('hello please can you help')).body.data).toEqual([]);
    expect(
      (await search('Hello, my parcel never arrived and I would like a refund please')).body.data,
    ).toEqual([]);

    const categories = await anonymous().get(`${portalBase}/articles/categories?workspace=${wsSlug}`);
    expect(categories.body.data).toEqual([{ category: 'Billing', count: 1 }]);
    const billing = await anonymous().get(`${portalBase}/articles?workspace=${wsSlug}&category=Billing`);
    expect(billing.body.data.map((row: any) => row.id)).toEqual([inTitle.id]);

    const staffSearch = await ws.client.get(`${staffBase}?q=refu`);
    expect(staffSearch.body.data).toHaveLength(3);
  });

  it('needs sign-in when public articles are off (401), and 404 when the knowledge base is off', async () => {
    const ws = await signedInUser(t, 'admin');
    const wsSlug = await portalSlugOf(t.database.db, ws.workspaceId);
    const created = await article(ws.client, { title: 'Members only' });
    await t.database.db
      .insertInto('portal_settings')
      .values({ workspace_id: ws.workspaceId, public_articles: false })
      .execute();
    expect((await anonymous().get(`${portalBase}/articles?workspace=${wsSlug}`)).status).toBe(401);
    expect((await anonymous().get(`${portalBase}/articles/${created.id}?workspace=${wsSlug}`)).status).toBe(
      401,
    );
    expect(
      (
        await anonymous().post(`${portalBase}/articles/${created.id}/feedback?workspace=${wsSlug}`, {
          helpful: true,
        })
      ).status,
    ).toBe(401);
    const customer = await portalCustomer(t, ws.workspaceId, 'member@example.com');
    expect((await customer.client.get(`${portalBase}/articles/${created.id}`)).status).toBe(200);

    await t.database.db
      .updateTable('portal_settings')
      .set({ show_articles: false })
      .where('workspace_id', '=', ws.workspaceId)
      .execute();
    expect((await customer.client.get(`${portalBase}/articles`)).status).toBe(404);
  });

  it('rejects bad input with 400 and staff tokens on portal routes', async () => {
    const created = await article(admin.client, { title: 'Input checks' });
    const url = `${portalBase}/articles/${created.id}/feedback?workspace=${slug}`;
    expect((await anonymous().post(url, { helpful: 'yes' })).status).toBe(400);
    expect((await anonymous().post(url, { helpful: true, context: 'elsewhere' })).status).toBe(400);
    expect((await anonymous().post(url, { helpful: true, visitorId: '<script>' })).status).toBe(400);
    expect((await anonymous().get(`${portalBase}/articles?workspace=${slug}&limit=500`)).status).toBe(400);
    expect((await anonymous().get(`${portalBase}/articles/nope?workspace=${slug}`)).status).toBe(400);
  });
});

describe('"Did this answer your question?"', () => {
  it('keeps one answer per session, moves the counters when it changes, and flags articles with many no', async () => {
    const created = await article(admin.client, { title: 'Counting answers' });
    const url = `${portalBase}/articles/${created.id}/feedback`;
    const counts = async () => {
      const row = (await admin.client.get(`${staffBase}/${created.id}`)).body;
      return [row.helpfulYes, row.helpfulNo, row.flagged];
    };
    const ana = await portalCustomer(t, admin.workspaceId, 'ana@example.com');
    expect((await ana.client.post(url, { helpful: true })).body).toMatchObject({
      helpful: true,
      changed: false,
    });
    expect((await ana.client.post(url, { helpful: true })).status).toBe(200);
    expect(await counts()).toEqual([1, 0, false]);
    expect((await ana.client.post(url, { helpful: false })).body).toMatchObject({
      helpful: false,
      changed: true,
    });
    expect(await counts()).toEqual([0, 1, false]);
    expect((await ana.client.get(`${portalBase}/articles/${created.id}`)).body.myAnswer).toBe(false);
    // Another customer never sees Ana's answer, and their own answer is theirs alone.
    const cy = await portalCustomer(t, admin.workspaceId, 'cy@example.com');
    expect((await cy.client.get(`${portalBase}/articles/${created.id}`)).body.myAnswer).toBeNull();

    // Signed out: the page's visitor id stands in for the session.
    const visitor = 'visitor-aaaaaaaaaaaaaaaa';
    const anonUrl = `${url}?workspace=${slug}`;
    await anonymous().post(anonUrl, { helpful: false, visitorId: visitor });
    await anonymous().post(anonUrl, { helpful: false, visitorId: visitor });
    expect(await counts()).toEqual([0, 2, false]);
    await anonymous().post(anonUrl, { helpful: false });
    expect(await counts()).toEqual([0, 3, true]);

    const flagged = await admin.client.get(`${staffBase}?flagged=true`);
    expect(flagged.body.data.map((row: any) => row.id)).toEqual([created.id]);
    expect(
      (await admin.client.get(`${staffBase}?flagged=false`)).body.data.map((row: any) => row.id),
    ).not.toContain(created.id);

    const rows = await t.database.db
      .selectFrom('kb_feedback')
      .selectAll()
      .where('article_id', '=', created.id)
      .execute();
    expect(rows).toHaveLength(3);
    expect(await auditActions(created.id)).toContain('kb_feedback.changed');
  });

  it('limits signed-out answers per IP address (429)', async () => {
    const created = await article(admin.client, { title: 'Hammered' });
    const client = anonymous();
    client.ip = '10.9.9.9';
    const url = `${portalBase}/articles/${created.id}/feedback?workspace=${slug}`;
    for (let index = 0; index < 120; index++) {
      const answer = await client.post(url, {
        helpful: index % 2 === 0,
        visitorId: 'hammer-visitor-0000001',
      });
      expect(answer.status).toBe(200);
    }
    const refused = await client.post(url, { helpful: true });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    const counts = (await admin.client.get(`${staffBase}/${created.id}`)).body;
    expect(counts.helpfulYes + counts.helpfulNo).toBe(1);
  });

  it('counts a concurrent double answer of one session once', async () => {
    const created = await article(admin.client, { title: 'Double click' });
    const bo = await portalCustomer(t, admin.workspaceId, 'bo@example.com');
    const url = `${portalBase}/articles/${created.id}/feedback`;
    const answers = await Promise.all([
      bo.client.post(url, { helpful: true }),
      bo.client.post(url, { helpful: true }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect((await admin.client.get(`${staffBase}/${created.id}`)).body.helpfulYes).toBe(1);
  });

  it('measures deflection: yes before submitting, in the period asked', async () => {
    const ws = await signedInUser(t, 'admin');
    const a = await article(ws.client, { title: 'Deflecting A' });
    const b = await article(ws.client, { title: 'Deflecting B' });
    const customers = await Promise.all(
      ['d1@example.com', 'd2@example.com', 'd3@example.com'].map((email) =>
        portalCustomer(t, ws.workspaceId, email),
      ),
    );
    const answer = (index: number, id: string, helpful: boolean, context: string) =>
      customers[index]!.client.post(`${portalBase}/articles/${id}/feedback`, { helpful, context });
    await answer(0, a.id, true, 'before_submit');
    await answer(1, a.id, true, 'before_submit');
    await answer(2, a.id, false, 'before_submit');
    await answer(0, b.id, true, 'browse');
    await answer(1, b.id, true, 'before_submit');

    const report = await ws.client.get('/api/v1/portal/deflection');
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({
      deflected: 3,
      beforeSubmitAnswers: 4,
      feedbackYes: 4,
      feedbackNo: 1,
    });
    expect(report.body.byArticle[0]).toMatchObject({
      articleId: a.id,
      deflected: 2,
      feedbackYes: 2,
      feedbackNo: 1,
    });

    const later = new Date(Date.now() + 60_000).toISOString();
    const empty = await ws.client.get(`/api/v1/portal/deflection?from=${encodeURIComponent(later)}`);
    expect(empty.status).toBe(400); // from after the default `to` (now)
    const future = await ws.client.get(
      `/api/v1/portal/deflection?from=${encodeURIComponent(later)}&to=${encodeURIComponent(new Date(Date.now() + 120_000).toISOString())}`,
    );
    expect(future.body).toMatchObject({ deflected: 0, feedbackYes: 0, byArticle: [] });
    // Another workspace sees none of it.
    expect((await other.client.get('/api/v1/portal/deflection')).body.deflected).toBe(0);
  });
});

describe('an article from a resolved item', () => {
  it('drafts title and body from the item without the customer’s personal data', async () => {
    const item = await admin.client.post('/api/v1/items', {
      kind: 'question',
      subject: 'Invoice shows the wrong VAT',
      body: 'Hello, I am Marguerite Okonkwo (marguerite@example.com, +44 20 7946 0958). My invoice has 25% VAT.',
      reporterName: 'Marguerite Okonkwo',
      reporterEmail: 'marguerite@example.com',
      acknowledge: false,
    });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    const url = `${staffBase}/from-item/${item.body.id}`;
    expect((await admin.client.post(url)).status).toBe(409);

    const resolved = await admin.client.post(`/api/v1/items/${item.body.id}/resolve`, {
      resolution: 'Told Marguerite that the VAT rate is set per country in Settings → Billing.',
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const executive = await signedInUser(t, 'executive', admin.workspaceId);
    expect((await executive.client.post(url)).status).toBe(403);
    expect((await other.client.post(url)).status).toBe(404);

    const drafted = await admin.client.post(url);
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    expect(drafted.body).toMatchObject({
      title: 'Invoice shows the wrong VAT',
      status: 'draft',
      sourceItemId: item.body.id,
    });
    const text = drafted.body.body as string;
    expect(text).toContain('My invoice has 25% VAT.');
    expect(text).toContain('VAT rate is set per country');
    for (const personal of ['Marguerite', 'Okonkwo', 'marguerite@example.com', '7946']) {
      expect(text).not.toContain(personal);
    }
    expect(await auditActions(drafted.body.id)).toEqual(['kb_article.created']);
  });
});
