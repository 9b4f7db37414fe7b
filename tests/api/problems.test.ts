import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainJobs } from '../../src/platform/jobs/worker.ts';
import { createUser, signedInUser, signIn } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';
import { createPerson, eventsOf, plantItem, plantItems } from './helpers/listening-items.ts';
import { startSmtpReceiver } from './helpers/smtp-receiver.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let manager: Awaited<ReturnType<typeof signedInUser>>;
let outsider: Awaited<ReturnType<typeof signedInUser>>;
let agent: Client;
let agentId: string;
let ws: string;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  t = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Rapport <care@rapport.test>' });
  manager = await signedInUser(t, 'manager');
  ws = manager.workspaceId;
  outsider = await signedInUser(t, 'admin');
  const user = await createUser(t.database.db, ws, { role: 'agent' });
  agentId = user.id;
  agent = t.client();
  await signIn(agent, user.email);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

async function newProblem(client: Client, body: Record<string, unknown> = {}) {
  const response = await client.post('/api/v1/problems', {
    title: "Car won't start after the ice-cream stop",
    ...body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

const itemRow = (id: string) =>
  t.database.db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('problems', () => {
  it('are created from a selection, listed, read and changed with versions', async () => {
    const items = await plantItems(t.database.db, ws, [{}, {}, {}]);
    const created = await newProblem(agent, {
      hypothesis: 'Vanilla is quick to fetch; the engine has no time to cool down.',
      ownerId: manager.user.id,
      itemIds: items.map((item) => item.id),
    });
    expect(created).toMatchObject({
      status: 'investigating',
      ownerId: manager.user.id,
      itemCount: 3,
      openItemCount: 3,
      version: 1,
      fixedAt: null,
    });
    for (const item of items) {
      expect((await itemRow(item.id)).problem_id).toBe(created.id);
      expect((await eventsOf(t.database.db, item.id)).map((event) => event.type)).toEqual([
        'linked_to_problem',
      ]);
    }
    const read = await agent.get(`/api/v1/problems/${created.id}`);
    expect(read.body).toEqual(created);
    expect(read.headers.etag).toBe('"1"');

    const patched = await agent.patch(`/api/v1/problems/${created.id}`, { status: 'identified', version: 1 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'identified', version: 2 });
    const stale = await agent.patch(`/api/v1/problems/${created.id}`, { title: 'Other', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/version 1; it is now version 2/);
    const noVersion = await agent.patch(`/api/v1/problems/${created.id}`, { title: 'Other' });
    expect(noVersion.status).toBe(400);
    const fixedByPatch = await agent.patch(`/api/v1/problems/${created.id}`, { status: 'fixed', version: 2 });
    expect(fixedByPatch.status).toBe(400);
    const badOwner = await agent.patch(`/api/v1/problems/${created.id}`, {
      ownerId: outsider.user.id,
      version: 2,
    });
    expect(badOwner.status).toBe(422);
    expect(badOwner.body.errors[0].path).toBe('body.ownerId');

    const second = await newProblem(agent, { title: 'Second' });
    const page1 = await agent.get('/api/v1/problems?limit=1');
    expect(page1.body.data.map((p: { id: string }) => p.id)).toEqual([second.id]);
    const page2 = await agent.get(`/api/v1/problems?limit=1&after=${page1.body.next}`);
    expect(page2.body.data.map((p: { id: string }) => p.id)).toEqual([created.id]);
    const identified = await agent.get('/api/v1/problems?status=identified');
    expect(identified.body.data.map((p: { id: string }) => p.id)).toEqual([created.id]);
    const foreignList = await outsider.client.get('/api/v1/problems');
    expect(foreignList.body.data).toEqual([]);
  });

  it('link an item to at most one problem, and unlink it', async () => {
    const [a, b, c] = await plantItems(t.database.db, ws, [{}, {}, {}]);
    const first = await newProblem(agent, { title: 'First', itemIds: [a!.id] });
    const second = await newProblem(agent, { title: 'Second' });
    const conflict = await agent.post(`/api/v1/problems/${second.id}/items`, { itemIds: [b!.id, a!.id] });
    expect(conflict.status).toBe(409);
    expect(conflict.body.detail).toContain(`#${a!.ref} (in "First")`);
    expect((await itemRow(b!.id)).problem_id).toBeNull(); // all or nothing

    const linked = await agent.post(`/api/v1/problems/${second.id}/items`, {
      itemIds: [b!.id, c!.id, b!.id],
    });
    expect(linked.status).toBe(200);
    expect(linked.body.itemCount).toBe(2);
    const again = await agent.post(`/api/v1/problems/${second.id}/items`, { itemIds: [b!.id] });
    expect(again.body.itemCount).toBe(2);
    expect((await eventsOf(t.database.db, b!.id)).filter((e) => e.type === 'linked_to_problem')).toHaveLength(
      1,
    );

    const unknown = await agent.post(`/api/v1/problems/${second.id}/items`, {
      itemIds: ['0190a6c4-5b1e-7000-8000-000000000000'],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toBe('body.itemIds.0');

    const unlinked = await agent.delete(`/api/v1/problems/${second.id}/items/${b!.id}`);
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.itemCount).toBe(1);
    expect((await itemRow(b!.id)).problem_id).toBeNull();
    expect((await eventsOf(t.database.db, b!.id)).map((e) => e.type)).toEqual([
      'linked_to_problem',
      'unlinked_from_problem',
    ]);
    const notLinked = await agent.delete(`/api/v1/problems/${first.id}/items/${b!.id}`);
    expect(notLinked.status).toBe(404);
  });

  it('two problems linking the same item at once: one wins, the other gets 409', async () => {
    const item = await plantItem(t.database.db, ws);
    const first = await newProblem(agent, { title: 'Race one' });
    const second = await newProblem(agent, { title: 'Race two' });
    const results = await Promise.all([
      agent.post(`/api/v1/problems/${first.id}/items`, { itemIds: [item.id] }),
      manager.client.post(`/api/v1/problems/${second.id}/items`, { itemIds: [item.id] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.detail).toMatch(/in "Race (one|two)"/);
    const events = await eventsOf(t.database.db, item.id);
    expect(events.filter((e) => e.type === 'linked_to_problem')).toHaveLength(1);
  });

  it("refuse to link a duplicate merged into another item (the survivor's link covers it)", async () => {
    const [survivor, duplicate] = await plantItems(t.database.db, ws, [{}, {}]);
    const merged = await agent.post(`/api/v1/items/${survivor!.id}/merge`, { otherId: duplicate!.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const problem = await newProblem(agent, { title: 'Merged' });
    const refused = await agent.post(`/api/v1/problems/${problem.id}/items`, { itemIds: [duplicate!.id] });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`merged into #${survivor!.ref}`);
  });

  it('answer 404 to another workspace on every route, with real ids', async () => {
    const item = await plantItem(t.database.db, ws);
    const problem = await newProblem(agent, { itemIds: [item.id] });
    const foreign = outsider.client;
    const base = `/api/v1/problems/${problem.id}`;
    const attempts = [
      await foreign.get(base),
      await foreign.patch(base, { title: 'Mine now', version: 1 }),
      await foreign.post(`${base}/items`, { itemIds: [item.id] }),
      await foreign.delete(`${base}/items/${item.id}`),
      await foreign.get(`${base}/compare`),
      await foreign.post(`${base}/fix`, { summary: 'Fixed', message: 'Hello {{name}}' }),
      await foreign.post(`${base}/close-items`, { reason: 'done' }),
    ];
    expect(attempts.map((response) => response.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    const own = await newProblem(foreign, { title: 'Theirs' });
    const crossLink = await foreign.post(`/api/v1/problems/${own.id}/items`, { itemIds: [item.id] });
    expect(crossLink.status).toBe(422);
    expect((await itemRow(item.id)).problem_id).toBe(problem.id);
    expect((await agent.get(base)).body.title).toBe(problem.title);
  });

  it('only managers and admins fix; agents get 403', async () => {
    const problem = await newProblem(agent, { itemIds: [(await plantItem(t.database.db, ws)).id] });
    const refused = await agent.post(`/api/v1/problems/${problem.id}/fix`, {
      summary: 'Done',
      message: 'Hi',
    });
    expect(refused.status).toBe(403);
    expect((await agent.get(`/api/v1/problems/${problem.id}`)).body.status).toBe('investigating');
  });
});

describe('fixing a problem', () => {
  it('tells every customer of every linked item once, merged items included, and records it on each item', async () => {
    const ana = await createPerson(manager.client, 'Ana Silva', 'ana@example.com');
    const bob = await createPerson(manager.client, 'Bob Stone', 'bob@example.com');
    const noEmail = await createPerson(manager.client, 'Carl Quiet', null);
    const dora = await createPerson(manager.client, 'Dora Dupe', 'dora@example.com');
    const [anaFirst, anaSecond, bobItem, carlItem, survivor, doraDuplicate] = await plantItems(
      t.database.db,
      ws,
      [
        { personId: ana, subject: 'Car dies at the ice-cream shop' },
        { personId: ana, subject: 'It happened again' },
        { personId: bob, subject: 'Stalls after shopping', status: 'in_progress' },
        { personId: noEmail, subject: 'Will not start' },
        { reporterName: 'Eve Walker', reporterEmail: 'Eve@Example.com', subject: 'Engine trouble' },
        { personId: dora, subject: 'Same engine trouble' },
      ],
    );
    const merge = await agent.post(`/api/v1/items/${survivor!.id}/merge`, { otherId: doraDuplicate!.id });
    expect(merge.status).toBe(200);
    const linkedIds = [anaFirst!.id, anaSecond!.id, bobItem!.id, carlItem!.id, survivor!.id];
    const problem = await newProblem(agent, { itemIds: linkedIds });
    const before = smtp.received.length;

    const fixed = await manager.client.post(`/api/v1/problems/${problem.id}/fix`, {
      summary: 'The vapour lock is fixed by a new fuel pump.',
      message: 'Hello {{name}},\n\nAbout "{{subject}}": we found the cause and fixed it.',
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body.problem).toMatchObject({
      status: 'fixed',
      fixSummary: 'The vapour lock is fixed by a new fuel pump.',
    });
    const informed = fixed.body.informed.map((c: { email: string }) => c.email).sort();
    expect(informed).toEqual(['Eve@Example.com', 'ana@example.com', 'bob@example.com', 'dora@example.com']);
    expect(
      fixed.body.informed.find((c: { email: string }) => c.email === 'ana@example.com').itemIds.sort(),
    ).toEqual([anaFirst!.id, anaSecond!.id].sort());
    expect(fixed.body.withoutEmail).toEqual([
      { personId: noEmail, name: 'Carl Quiet', email: null, itemIds: [carlItem!.id] },
    ]);

    await drainJobs(t.deps);
    const mails = smtp.received.slice(before);
    const lower = (list: string[]) => list.map((address) => address.toLowerCase()).sort();
    expect(lower(mails.map((mail) => mail.to[0]!))).toEqual(lower(informed));
    const doraMail = mails.find((mail) => mail.to.includes('dora@example.com'))!;
    expect(doraMail.raw).toContain('Hello Dora Dupe');
    expect(doraMail.raw).toContain('About "Same engine trouble"');
    const eveMail = mails.find((mail) => mail.to[0]?.toLowerCase() === 'eve@example.com')!;
    expect(eveMail.raw).toContain('Hello Eve Walker');
    const survivorRow = await itemRow(survivor!.id);
    expect(doraMail.raw).toContain(`reply+${survivorRow.reply_token}@`); // answers thread into the live item

    // Carl has no email: his item waits until staff tell him another way.
    expect((await itemRow(carlItem!.id)).informed_at).toBeNull();
    expect((await eventsOf(t.database.db, carlItem!.id)).some((event) => event.type === 'informed')).toBe(
      false,
    );
    for (const id of [...linkedIds.filter((linked) => linked !== carlItem!.id), doraDuplicate!.id]) {
      const row = await itemRow(id);
      expect(row.informed_at, id).not.toBeNull();
      const informedEvents = (await eventsOf(t.database.db, id)).filter((event) => event.type === 'informed');
      expect(informedEvents).toMatchObject([
        {
          data: {
            how: 'email',
            summary: 'The vapour lock is fixed by a new fuel pump.',
            problemId: problem.id,
          },
        },
      ]);
    }
    const bobRow = await itemRow(bobItem!.id);
    expect(bobRow).toMatchObject({
      status: 'resolved',
      resolution: 'The vapour lock is fixed by a new fuel pump.',
    });
    const conversation = await t.database.db
      .selectFrom('item_messages')
      .select(['item_id', 'to_address'])
      .where('item_id', 'in', [...linkedIds, doraDuplicate!.id])
      .where('kind', '=', 'outbound')
      .execute();
    expect(conversation).toHaveLength(4);
    expect(conversation.find((m) => m.to_address === 'dora@example.com')!.item_id).toBe(survivor!.id);

    const lateLink = await agent.post(`/api/v1/problems/${problem.id}/items`, {
      itemIds: [(await plantItem(t.database.db, ws)).id],
    });
    expect(lateLink.status).toBe(409);
    const twice = await manager.client.post(`/api/v1/problems/${problem.id}/fix`, {
      summary: 'x',
      message: 'y',
    });
    expect(twice.status).toBe(409);
    const reopen = await agent.patch(`/api/v1/problems/${problem.id}`, {
      status: 'investigating',
      version: 2,
    });
    expect(reopen.status).toBe(409);
  });

  it('informs all 20 customers of a 20-item problem, exactly one message each', async () => {
    const people: string[] = [];
    for (let n = 0; n < 20; n++)
      people.push(await createPerson(manager.client, `Customer${n} Twenty`, `c${n}@twenty.test`));
    const items = await plantItems(
      t.database.db,
      ws,
      people.map((personId, n) => ({ personId, subject: `Report ${n}` })),
    );
    const problem = await newProblem(agent, { itemIds: items.map((item) => item.id) });
    const before = smtp.received.length;
    const fixed = await manager.client.post(`/api/v1/problems/${problem.id}/fix`, {
      summary: 'Fixed for everyone',
      message: 'Dear {{name}}, thanks for "{{subject}}".',
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.informed).toHaveLength(20);
    await drainJobs(t.deps);
    const mails = smtp.received.slice(before);
    const recipients = mails.map((mail) => mail.to[0]).sort();
    expect(recipients).toEqual(people.map((_p, n) => `c${n}@twenty.test`).sort());
    expect(new Set(recipients).size).toBe(20);
    expect(mails.find((mail) => mail.to.includes('c7@twenty.test'))!.raw).toContain(
      'Dear Customer7 Twenty, thanks for "Report 7".',
    );
  });

  it('two fixes at once: one wins, the other gets 409, customers hear once', async () => {
    const person = await createPerson(manager.client, 'Race Condition', 'race@example.com');
    const item = await plantItem(t.database.db, ws, { personId: person });
    const problem = await newProblem(agent, { itemIds: [item.id] });
    const body = { summary: 'Fixed', message: 'Hello {{name}}' };
    const responses = await Promise.all([
      manager.client.post(`/api/v1/problems/${problem.id}/fix`, body),
      manager.client.post(`/api/v1/problems/${problem.id}/fix`, body),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const outbox = await t.database.db
      .selectFrom('outbox')
      .select('id')
      .where('to_address', '=', 'race@example.com')
      .execute();
    expect(outbox).toHaveLength(1);
  });

  it("notifies the items' owners (not the fixer) so that they thank and close", async () => {
    const person = await createPerson(manager.client, 'Owned Item', 'owned@example.com');
    const item = await plantItem(t.database.db, ws, { personId: person });
    await t.database.db.updateTable('items').set({ owner_id: agentId }).where('id', '=', item.id).execute();
    const problem = await newProblem(agent, { title: 'Owned', itemIds: [item.id], ownerId: manager.user.id });
    const fixed = await manager.client.post(`/api/v1/problems/${problem.id}/fix`, {
      summary: 'Done',
      message: 'Hi',
    });
    expect(fixed.status).toBe(200);
    const notes = await t.database.db
      .selectFrom('notifications')
      .select(['user_id', 'type', 'title'])
      .where('problem_id', '=', problem.id)
      .execute();
    expect(notes).toEqual([{ user_id: agentId, type: 'problem_fixed', title: 'Fixed: Owned' }]);
  });

  it('refuses to fix a problem without items', async () => {
    const problem = await newProblem(agent, { title: 'Empty' });
    const response = await manager.client.post(`/api/v1/problems/${problem.id}/fix`, {
      summary: 'x',
      message: 'y',
    });
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/link the reports first/);
  });

  it('validates the fix body', async () => {
    const problem = await newProblem(agent, { title: 'Body' });
    const response = await manager.client.post(`/api/v1/problems/${problem.id}/fix`, { summary: ' ' });
    expect(response.status).toBe(400);
    const paths = response.body.errors.map((error: { path: string }) => error.path).sort();
    expect(paths).toEqual(['body.message', 'body.summary']);
  });
});

describe('closing the linked items in bulk', () => {
  it('closes those informed and thanked; with a reason every resolved one; never unresolved ones', async () => {
    const person = await createPerson(manager.client, 'Bulk Closer', 'bulk@example.com');
    const [thanked, notThanked, unresolved] = await plantItems(t.database.db, ws, [
      { personId: person },
      { personId: person },
      { personId: person },
    ]);
    const problem = await newProblem(agent, { itemIds: [thanked!.id, notThanked!.id, unresolved!.id] });
    const fixed = await manager.client.post(`/api/v1/problems/${problem.id}/fix`, {
      summary: 'Fixed',
      message: 'Hi',
    });
    expect(fixed.status).toBe(200);
    await t.database.db
      .updateTable('items')
      .set({ thanked_at: new Date() })
      .where('id', '=', thanked!.id)
      .execute();
    // The customer answered after the fix: the item was reopened and is open again.
    await t.database.db
      .updateTable('items')
      .set({ status: 'reopened', informed_at: null, thanked_at: null })
      .where('id', '=', unresolved!.id)
      .execute();

    const first = await agent.post(`/api/v1/problems/${problem.id}/close-items`, {});
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({
      closed: 1,
      skipped: 2,
      skippedItemIds: [notThanked!.id, unresolved!.id].sort(),
    });
    expect(await itemRow(thanked!.id)).toMatchObject({ status: 'closed', close_reason: null });
    expect((await eventsOf(t.database.db, thanked!.id)).at(-1)).toMatchObject({
      type: 'closed',
      data: { problemId: problem.id },
    });

    const second = await agent.post(`/api/v1/problems/${problem.id}/close-items`, {
      reason: 'fixed for everyone',
    });
    expect(second.body).toEqual({ closed: 1, skipped: 1, skippedItemIds: [unresolved!.id] });
    expect(await itemRow(notThanked!.id)).toMatchObject({
      status: 'closed',
      close_reason: 'fixed for everyone',
    });
    expect((await eventsOf(t.database.db, notThanked!.id)).at(-1)).toMatchObject({
      type: 'closed',
      data: { reason: 'fixed for everyone', withoutLoop: true },
    });
    expect((await itemRow(unresolved!.id)).status).toBe('reopened');
    expect((await agent.get(`/api/v1/problems/${problem.id}`)).body).toMatchObject({
      itemCount: 3,
      openItemCount: 1,
    });
  });

  it('closes every item at once when the fix message also thanked the customers', async () => {
    const ana = await createPerson(manager.client, 'Thanked Once', 'thanked@example.com');
    const items = await plantItems(t.database.db, ws, [
      { personId: ana },
      { personId: ana, status: 'in_progress' },
    ]);
    const problem = await newProblem(agent, { itemIds: items.map((item) => item.id) });
    const fixed = await manager.client.post(`/api/v1/problems/${problem.id}/fix`, {
      summary: 'Fixed',
      message: 'Hello {{name}}, it is fixed. Thank you for telling us!',
      thanks: true,
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.informed).toHaveLength(1);
    for (const item of items) {
      const types = (await eventsOf(t.database.db, item.id)).map((event) => event.type);
      expect(types).toEqual(['linked_to_problem', 'resolved', 'informed', 'thanked']);
    }
    const closed = await agent.post(`/api/v1/problems/${problem.id}/close-items`, {});
    expect(closed.body).toEqual({ closed: 2, skipped: 0, skippedItemIds: [] });
  });
});
