import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTerms } from '../../src/shared/portal.ts';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { eventsOf, plantItem } from './helpers/listening-items.ts';
import { portalBase, portalCustomer, portalCustomerWithRecord } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;
let workspaceName: string;
let agent: Client;
let executive: Client;
let ana: Awaited<ReturnType<typeof portalCustomerWithRecord>>;
let ben: Awaited<ReturnType<typeof portalCustomerWithRecord>>;
let cat: Awaited<ReturnType<typeof portalCustomerWithRecord>>;

beforeAll(async () => {
  t = await createTestApp({ PORTAL_SUBMISSIONS_PER_HOUR: '12' });
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  workspaceName = (
    await t.database.db.selectFrom('workspaces').select('name').where('id', '=', ws).executeTakeFirstOrThrow()
  ).name;
  const vera = await createUser(t.database.db, ws, { role: 'agent', name: 'Vera Agent' });
  agent = t.client();
  await signIn(agent, vera.email);
  const exec = await createUser(t.database.db, ws, { role: 'executive', name: 'Ed Exec' });
  executive = t.client();
  await signIn(executive, exec.email);
  ana = await portalCustomerWithRecord(t, admin.client, ws, 'Ana Lovelace', 'ana@example.com');
  ben = await portalCustomerWithRecord(t, admin.client, ws, 'Ben Franklin', 'ben@example.com');
  cat = await portalCustomerWithRecord(t, admin.client, ws, 'Cat Quiet', 'cat@example.com');
  // Cat refuses email altogether: status mail must not reach her.
  const terms = await cat.client.put(`${portalBase}/me/terms`, {
    terms: { ...defaultTerms, channels: { ...defaultTerms.channels, email: false } },
  });
  expect(terms.status, JSON.stringify(terms.body)).toBe(200);
});
afterAll(() => t.close());

const staffUrl = (id: string) => `/api/v1/portal/suggestions/${id}`;
const suggestion = (subject: string) => plantItem(t.database.db, ws, { kind: 'suggestion', subject });

const mailsAbout = (itemId: string) =>
  t.database.db
    .selectFrom('outbox')
    .select(['to_address', 'subject', 'text_body'])
    .where('entity', '=', 'item')
    .where('entity_id', '=', itemId)
    .orderBy('created_at')
    .execute();

async function votedBy(itemId: string, voters: Client[]) {
  for (const voter of voters) {
    const voted = await voter.post(`${portalBase}/suggestions/${itemId}/vote`);
    expect(voted.status, JSON.stringify(voted.body)).toBe(200);
  }
}

describe('staff triage of suggestions', () => {
  it('emails every voter once per status change, not on a response edit, and records the change', async () => {
    const item = await suggestion('Offline mode');
    expect((await agent.patch(staffUrl(item.id), { boardStatus: 'under_review' })).status).toBe(200);
    await votedBy(item.id, [ana.client, ben.client, cat.client]);
    // A staff member's own vote is not a customer to inform.
    expect((await agent.post(`/api/v1/items/${item.id}/vote`, {})).status).toBe(201);

    const planned = await agent.patch(staffUrl(item.id), {
      boardStatus: 'planned',
      boardResponse: 'In the summer release.',
    });
    expect(planned.status, JSON.stringify(planned.body)).toBe(200);
    expect(planned.body).toMatchObject({
      boardStatus: 'planned',
      boardResponse: 'In the summer release.',
      voteCount: 4,
      votersInformed: 2,
    });
    let mails = await mailsAbout(item.id);
    expect(mails.map((mail) => mail.to_address).sort()).toEqual(['ana@example.com', 'ben@example.com']);
    expect(mails[0]!.subject).toBe('"Offline mode" is now planned');
    expect(mails[0]!.text_body).toContain('Its status is now: Planned.');
    expect(mails[0]!.text_body).toContain('In the summer release.');
    expect(mails[0]!.text_body).toContain(`/suggestions/${item.id}`);

    const edited = await agent.patch(staffUrl(item.id), {
      boardStatus: 'planned',
      boardResponse: 'In July.',
    });
    expect(edited.body).toMatchObject({ boardResponse: 'In July.', votersInformed: 0 });
    expect(await mailsAbout(item.id)).toHaveLength(2);

    const done = await agent.patch(staffUrl(item.id), { boardStatus: 'done' });
    expect(done.body).toMatchObject({ boardStatus: 'done', boardResponse: 'In July.', votersInformed: 2 });
    mails = await mailsAbout(item.id);
    expect(mails).toHaveLength(4);
    expect(mails.filter((mail) => mail.to_address === 'ana@example.com')).toHaveLength(2);
    expect(mails.some((mail) => mail.to_address === 'cat@example.com')).toBe(false);

    const off = await agent.patch(staffUrl(item.id), { boardStatus: null });
    expect(off.body).toMatchObject({ boardStatus: null, votersInformed: 0 });
    expect(await mailsAbout(item.id)).toHaveLength(4);
    expect((await ana.client.get(`${portalBase}/suggestions/${item.id}`)).status).toBe(404);

    const changes = (await eventsOf(t.database.db, item.id)).filter((e) => e.type === 'board_status_changed');
    expect(
      changes.map((e) => e.data as { from: string | null; to: string | null }).map((d) => [d.from, d.to]),
    ).toEqual([
      [null, 'under_review'],
      ['under_review', 'planned'],
      ['planned', 'done'],
      ['done', null],
    ]);
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', item.id)
      .where('action', '=', 'suggestion.board_updated')
      .execute();
    expect(audits).toHaveLength(5);
  });

  it('mails each voter once when the same change arrives twice at once', async () => {
    const item = await suggestion('Two tabs, one click');
    await agent.patch(staffUrl(item.id), { boardStatus: 'under_review' });
    await votedBy(item.id, [ana.client, ben.client]);
    const both = await Promise.all([
      agent.patch(staffUrl(item.id), { boardStatus: 'planned' }),
      admin.client.patch(staffUrl(item.id), { boardStatus: 'planned' }),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => r.body.votersInformed).sort()).toEqual([0, 2]);
    expect((await mailsAbout(item.id)).map((mail) => mail.to_address).sort()).toEqual([
      'ana@example.com',
      'ben@example.com',
    ]);
  });

  it('needs a reason to decline, and shows it on the board', async () => {
    const item = await suggestion('Blockchain everything');
    const bare = await agent.patch(staffUrl(item.id), { boardStatus: 'declined' });
    expect(bare.status).toBe(400);
    expect(bare.body.errors).toEqual([
      { path: 'body.boardResponse', message: 'is required when declining: tell the customers why' },
    ]);
    const blank = await agent.patch(staffUrl(item.id), { boardStatus: 'declined', boardResponse: '   ' });
    expect(blank.status).toBe(400);
    const declined = await agent.patch(staffUrl(item.id), {
      boardStatus: 'declined',
      boardResponse: 'It would not help you keep track of customers.',
    });
    expect(declined.status).toBe(200);
    const shown = await ana.client.get(`${portalBase}/suggestions/${item.id}`);
    expect(shown.body).toMatchObject({
      status: 'declined',
      statusLabel: 'Declined',
      response: 'It would not help you keep track of customers.',
    });
  });

  it('refuses bad input, other kinds and unknown ids', async () => {
    const item = await suggestion('Validation');
    expect((await agent.patch(staffUrl(item.id), { boardStatus: 'maybe' })).status).toBe(400);
    expect((await agent.patch(staffUrl(item.id), {})).status).toBe(400);
    expect((await agent.patch(staffUrl(item.id), { boardStatus: 'planned', extra: 1 })).status).toBe(400);
    expect((await agent.patch(staffUrl('not-a-uuid'), { boardStatus: 'planned' })).status).toBe(400);
    expect((await agent.patch(staffUrl(crypto.randomUUID()), { boardStatus: 'planned' })).status).toBe(404);
    const complaint = await plantItem(t.database.db, ws, { kind: 'complaint' });
    const wrongKind = await agent.patch(staffUrl(complaint.id), { boardStatus: 'planned' });
    expect(wrongKind.status).toBe(409);
    expect(wrongKind.body.detail).toMatch(/Only suggestions go on the board/);
    expect((await agent.post(`${staffUrl(item.id)}/comments`, { body: '' })).status).toBe(400);
  });

  it('posts staff answers as comments under the workspace name', async () => {
    const item = await suggestion('Answer me');
    await agent.patch(staffUrl(item.id), { boardStatus: 'under_review' });
    await ana.client.post(`${portalBase}/suggestions/${item.id}/comments`, { body: 'Please!' });
    const answer = await agent.post(`${staffUrl(item.id)}/comments`, { body: 'We are looking into it.' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ author: `${workspaceName} team · Vera`, byStaff: true });

    const seen = await ana.client.get(`${portalBase}/suggestions/${item.id}`);
    expect(seen.body.comments.map((c: { author: string; body: string }) => [c.author, c.body])).toEqual([
      ['Ana', 'Please!'],
      [`${workspaceName} team · Vera`, 'We are looking into it.'],
    ]);
    const staffView = await executive.get(staffUrl(item.id));
    expect(staffView.status).toBe(200);
    expect(staffView.body).toMatchObject({ commentCount: 2, boardStatus: 'under_review' });
    expect(staffView.body.comments).toHaveLength(2);
  });

  it('lists suggestions on and off the board with counts, in keyset pages', async () => {
    await t.database.db
      .updateTable('items')
      .set({ kind: 'question' })
      .where('workspace_id', '=', ws)
      .execute();
    const off = await suggestion('Off the board');
    const on = await suggestion('On the board');
    await agent.patch(staffUrl(on.id), { boardStatus: 'planned' });
    await votedBy(on.id, [ana.client]);
    await ana.client.post(`${portalBase}/suggestions/${on.id}/comments`, { body: 'Yes' });

    const ids = async (query: string) =>
      (await executive.get(`/api/v1/portal/suggestions${query}`)).body.data.map((s: { id: string }) => s.id);
    expect(await ids('')).toEqual([on.id, off.id]);
    expect(await ids('?board=on')).toEqual([on.id]);
    expect(await ids('?board=off')).toEqual([off.id]);
    expect(await ids('?status=planned')).toEqual([on.id]);
    expect(await ids('?status=done')).toEqual([]);

    const first = await executive.get('/api/v1/portal/suggestions?limit=1');
    expect(first.body.data[0]).toMatchObject({
      id: on.id,
      boardStatus: 'planned',
      voteCount: 1,
      commentCount: 1,
      itemStatus: 'new',
    });
    const rest = await executive.get(`/api/v1/portal/suggestions?limit=1&after=${first.body.next}`);
    expect(rest.body).toMatchObject({ data: [{ id: off.id, boardStatus: null }], next: null });
    expect((await executive.get('/api/v1/portal/suggestions?after=zzz')).status).toBe(400);
    expect((await executive.get('/api/v1/portal/suggestions?board=maybe')).status).toBe(400);
  });

  it('refuses merged duplicates (409) and limits how much one customer submits per hour (429)', async () => {
    const survivor = await suggestion('Limits survivor');
    const duplicate = await suggestion('Limits duplicate');
    await agent.patch(staffUrl(survivor.id), { boardStatus: 'under_review' });
    expect((await agent.post(`/api/v1/items/${survivor.id}/merge`, { otherId: duplicate.id })).status).toBe(
      200,
    );
    const merged = await agent.patch(staffUrl(duplicate.id), { boardStatus: 'planned' });
    expect(merged.status).toBe(409);
    expect(merged.body.detail).toMatch(/merged into another suggestion/);

    const dan = (await portalCustomer(t, ws, 'dan@example.com', '10.4.4.4')).client;
    const url = `${portalBase}/suggestions/${survivor.id}/comments`;
    for (let n = 1; n <= 12; n += 1) {
      expect((await dan.post(url, { body: `Comment ${n}` })).status).toBe(201);
    }
    const over = await dan.post(url, { body: 'One too many' });
    expect(over.status).toBe(429);
    const stored = await t.database.db
      .selectFrom('suggestion_comments')
      .select('id')
      .where('item_id', '=', survivor.id)
      .execute();
    expect(stored).toHaveLength(12);
  });

  it('lets agents triage but not executives (403)', async () => {
    const item = await suggestion('Roles');
    expect((await executive.get('/api/v1/portal/suggestions')).status).toBe(200);
    expect((await executive.patch(staffUrl(item.id), { boardStatus: 'planned' })).status).toBe(403);
    expect((await executive.post(`${staffUrl(item.id)}/comments`, { body: 'Hi' })).status).toBe(403);
    expect((await agent.patch(staffUrl(item.id), { boardStatus: 'planned' })).status).toBe(200);
    expect((await t.client().get('/api/v1/portal/suggestions')).status).toBe(401);
  });
});
