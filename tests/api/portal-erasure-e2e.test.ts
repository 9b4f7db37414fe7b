// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withInboundMail } from '../../src/features/mail-in/schema.ts';
import { emailHashOf } from '../../src/features/portal/erasure/service.ts';
import { newId } from '../../src/platform/ids.ts';
import { defaultTerms } from '../../src/shared/portal.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { portalBase, portalCustomer } from './helpers/portal.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let agent: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  agent = await signedInUser(t, 'agent', admin.workspaceId);
});
afterAll(() => t.close());

const primaryEmail = 'zephyrine.q@example.com';
const workEmail = 'zq-work@example.org';
/** Everything that identifies the customer; none of it may be left anywhere after the erasure. */
const needles = [
  'Zephyrine',
  'Quillfeather',
  'Zephy-Q',
  primaryEmail,
  workEmail,
  '+14155550199',
  '14155550199',
  '415 555 0199',
  'Larkspur Lane',
  'zephyquill.example',
  'zephy.old@example.net',
];

/** Every (table, column) of type text, varchar, jsonb or text[] in the schema, whatever the table. */
async function textColumns() {
  const result = await sql<{ table_name: string; column_name: string }>`
    select c.table_name::text as table_name, c.column_name::text as column_name
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema()
      and (c.data_type in ('text', 'character varying', 'jsonb')
        or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
    order by 1, 2`.execute(t.database.db);
  return result.rows;
}

/** Where any needle still occurs, as "table.column: value" lines (case-insensitive). */
async function findLeftovers(exceptOutboxId: string | null): Promise<string[]> {
  const hits: string[] = [];
  for (const { table_name, column_name } of await textColumns()) {
    const col = sql.ref(column_name);
    const matches = sql.join(
      needles.map((needle) => sql`position(${needle.toLowerCase()} in lower(${col}::text)) > 0`),
      sql` or `,
    );
    const skip =
      table_name === 'outbox' && column_name === 'to_address' && exceptOutboxId
        ? sql`and id <> ${exceptOutboxId}`
        : sql``;
    const rows = await sql<{ value: string }>`
      select ${col}::text as value from ${sql.table(table_name)} where (${matches}) ${skip} limit 3`.execute(
      t.database.db,
    );
    for (const row of rows.rows) hits.push(`${table_name}.${column_name}: ${row.value.slice(0, 200)}`);
  }
  return hits;
}

async function counts(workspaceId: string) {
  const one = async (table: string) =>
    Number(
      (
        await sql<{
          n: string;
        }>`select count(*) as n from ${sql.table(table)} where workspace_id = ${workspaceId}`.execute(
          t.database.db,
        )
      ).rows[0]!.n,
    );
  return {
    people: await one('people'),
    items: await one('items'),
    interactions: await one('interactions'),
    messages: await one('item_messages'),
    votes: await one('item_votes'),
    terms: await one('person_terms'),
  };
}

describe('erasure end to end', () => {
  it('leaves nothing personal in any table, keeps the counts, tells the customer and keeps the request', async () => {
    const ws = admin.workspaceId;
    const db = t.database.db;
    const created = await admin.client.post('/api/v1/people', {
      givenName: 'Zephyrine',
      familyName: 'Quillfeather',
      nickname: 'Zephy-Q',
      jobTitle: 'Head of Zephyrine Studios',
      emails: [{ value: primaryEmail, primary: true }, { value: workEmail }],
      phones: [{ value: '+1 415 555 0199' }],
      addresses: [{ street: '12 Larkspur Lane', city: 'Springfield', country: 'US' }],
      websites: [{ value: 'https://zephyquill.example' }],
      tags: ['vip'],
      notes: 'Zephyrine prefers calls after 5pm.',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const personId = created.body.id as string;
    const notes = await admin.client.patch(`/api/v1/people/${personId}`, {
      version: 1,
      notes: 'Quillfeather family account; call +14155550199.',
    });
    expect(notes.status, JSON.stringify(notes.body)).toBe(200);
    // An older duplicate record of her, merged into this one (the merge keeps a snapshot of it).
    const duplicate = await admin.client.post('/api/v1/people', {
      givenName: 'Zephyrine',
      familyName: 'Q.',
      emails: [{ value: 'zephy.old@example.net' }],
    });
    expect(duplicate.status).toBe(201);
    const survivor = await db
      .selectFrom('people')
      .select('version')
      .where('id', '=', personId)
      .executeTakeFirstOrThrow();
    const merged = await admin.client.post(`/api/v1/people/${personId}/merge`, {
      otherId: duplicate.body.id,
      version: survivor.version,
      otherVersion: 1,
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const other = await admin.client.post('/api/v1/people', { givenName: 'Bartholomew', familyName: 'Oak' });
    expect(other.status).toBe(201);

    // Items: one by staff with a reply (mail to the customer), a customer mail answer and its raw mail.
    const item = await agent.client.post('/api/v1/items', {
      kind: 'complaint',
      subject: 'Zephyrine Quillfeather: the heater is broken',
      body: `Reported by ${primaryEmail} from 12 Larkspur Lane`,
      personId,
      acknowledge: false,
    });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    const reply = await agent.client.post(`/api/v1/items/${item.body.id}/reply`, {
      body: 'Dear Zephyrine, a technician is on the way.',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await db
      .insertInto('item_messages')
      .values({
        id: newId(),
        workspace_id: ws,
        item_id: item.body.id,
        kind: 'inbound',
        person_id: personId,
        from_address: primaryEmail,
        subject: 'Re: the heater',
        body_text: 'Thanks! Zephyrine (call me on 415 555 0199)',
        body_html: '<p>Thanks! Zephyrine</p>',
        message_id: '<zq-1@example.com>',
      })
      .execute();
    await withInboundMail(db)
      .insertInto('inbound_mail')
      .values({
        id: newId(),
        workspace_id: ws,
        mail_from: primaryEmail,
        rcpt_to: ['support@acme.test'],
        raw: Buffer.from(`From: Zephyrine <${primaryEmail}>\r\n\r\nThanks!`),
        size_bytes: 40,
        status: 'processed',
        item_id: item.body.id,
      })
      .execute();
    const observation = await agent.client.post(`/api/v1/items/${item.body.id}/observations`, {
      key: 'caller_said',
      value: 'Zephyrine said it smells',
    });
    expect([201, 200]).toContain(observation.status);

    // A suggestion by someone else, which she votes on and comments.
    const suggestion = await agent.client.post('/api/v1/items', {
      kind: 'suggestion',
      subject: 'Longer opening hours',
      personId: other.body.id,
      acknowledge: false,
    });
    expect(suggestion.status).toBe(201);
    await db
      .insertInto('item_votes')
      .values({ id: newId(), workspace_id: ws, item_id: suggestion.body.id, person_id: personId })
      .execute();
    await db
      .insertInto('suggestion_comments')
      .values({
        id: newId(),
        workspace_id: ws,
        item_id: suggestion.body.id,
        person_id: personId,
        body: 'Yes please, signed Zephyrine Quillfeather',
      })
      .execute();

    // An interaction with her and another person.
    const interaction = await agent.client.post('/api/v1/interactions', {
      type: 'call',
      summary: 'Called Zephyrine about the heater',
      outcome: `Will mail ${workEmail}`,
      personIds: [personId, other.body.id],
    });
    expect(interaction.status, JSON.stringify(interaction.body)).toBe(201);

    // Knowledge-base feedback and an intentcast with a staff answer.
    const articleId = newId();
    await db
      .insertInto('kb_articles')
      .values({ id: articleId, workspace_id: ws, title: 'Heaters', body: 'Bleed them.', status: 'published' })
      .execute();
    await db
      .insertInto('kb_feedback')
      .values({
        id: newId(),
        workspace_id: ws,
        article_id: articleId,
        person_id: personId,
        helpful: true,
        context: 'browse',
      })
      .execute();
    const intentId = newId();
    await db
      .insertInto('intents')
      .values({
        id: intentId,
        workspace_id: ws,
        person_id: personId,
        what: 'A heater for Zephyrine’s studio',
      })
      .execute();
    await db
      .insertInto('intent_responses')
      .values({
        id: newId(),
        workspace_id: ws,
        intent_id: intentId,
        user_id: agent.user.id,
        body: 'Hi Zephyrine, we have one.',
      })
      .execute();

    // The customer signs in (a magic-link mail to her address) and asks for erasure.
    const customer = await portalCustomer(t, ws, primaryEmail);
    expect(customer.session.personId).toBe(personId);
    const terms = await customer.client.put(`${portalBase}/me/terms`, { terms: defaultTerms, version: 0 });
    expect(terms.status, JSON.stringify(terms.body)).toBe(200);
    // What she does herself through the portal: a correction, a question with a reply, an intentcast.
    const { version } = await db
      .selectFrom('people')
      .select('version')
      .where('id', '=', personId)
      .executeTakeFirstOrThrow();
    const corrected = await customer.client.patch(`${portalBase}/me`, {
      version,
      addresses: [{ street: '14 Larkspur Lane', city: 'Springfield', country: 'US' }],
    });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    const question = await customer.client.post(`${portalBase}/items`, {
      kind: 'question',
      subject: 'Zephyrine asks about opening hours',
      body: 'Call me at +1 415 555 0199',
    });
    expect(question.status, JSON.stringify(question.body)).toBe(201);
    const followUp = await customer.client.post(`${portalBase}/items/${question.body.id}/messages`, {
      body: 'Regards, Zephyrine Quillfeather',
    });
    expect(followUp.status, JSON.stringify(followUp.body)).toBe(201);
    const cast = await customer.client.post(`${portalBase}/intents`, {
      what: 'Zephyrine wants a quiet heater',
      channel: 'portal',
    });
    expect(cast.status, JSON.stringify(cast.body)).toBe(201);
    const asked = await customer.client.post(`${portalBase}/me/erasure`, {
      reason: 'I am Zephyrine and I moved',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const before = await counts(ws);
    expect((await findLeftovers(null)).length).toBeGreaterThan(10);

    const approved = await admin.client.post(`/api/v1/portal/erasure-requests/${asked.body.id}/approve`, {
      note: 'Verified with Zephyrine by phone',
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ id: asked.body.id, status: 'done', personName: null });
    expect(approved.body.completedAt).not.toBeNull();

    // The customer is told, at the address she asked from; that one address is the only exception.
    const notice = await db
      .selectFrom('outbox')
      .selectAll()
      .where('entity', '=', 'erasure_request')
      .where('entity_id', '=', asked.body.id)
      .where('to_address', '=', primaryEmail)
      .executeTakeFirstOrThrow();
    expect(notice.subject).toMatch(/erased/);
    expect(await findLeftovers(notice.id)).toEqual([]);

    // Counts hold; the person row, her items and her interaction are still there.
    expect(await counts(ws)).toEqual(before);
    const person = await db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(person.display_name).toMatch(/^Erased person #[0-9a-f]{8}$/);
    expect(person.emails).toEqual([]);
    expect(person.stage).toBe('prospect');
    const itemRow = await db
      .selectFrom('items')
      .selectAll()
      .where('id', '=', item.body.id)
      .executeTakeFirstOrThrow();
    expect(itemRow).toMatchObject({ subject: 'Erased', body: '', person_id: personId, reporter_email: null });
    expect(
      await withInboundMail(db)
        .selectFrom('inbound_mail')
        .select('id')
        .where('workspace_id', '=', ws)
        .execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('portal_sessions').select('id').where('workspace_id', '=', ws).execute(),
    ).toEqual([]);
    // Another person who only shared an interaction keeps their name.
    const oak = await db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', other.body.id)
      .executeTakeFirstOrThrow();
    expect(oak.display_name).toBe('Bartholomew Oak');

    // The request is kept as proof, without the address; its audit entry names no one.
    const request = await db
      .selectFrom('erasure_requests')
      .selectAll()
      .where('id', '=', asked.body.id)
      .executeTakeFirstOrThrow();
    expect(request).toMatchObject({
      status: 'done',
      person_id: personId,
      email_hash: emailHashOf(primaryEmail),
    });
    const entry = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'erasure.done')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ entity_id: asked.body.id, actor_id: admin.user.id });

    // Her old session is gone; signing in again she finds the done request (found by her email's hash).
    expect((await customer.client.get(`${portalBase}/me/erasure`)).status).toBe(401);
    const again = await portalCustomer(t, ws, primaryEmail);
    expect(again.session.personId).toBeNull();
    const mine = await again.client.get(`${portalBase}/me/erasure`);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toMatchObject([{ id: asked.body.id, status: 'done' }]);
    const nothing = await again.client.post(`${portalBase}/me/erasure`, {});
    expect(nothing.status).toBe(409);
    expect(nothing.body.detail).toMatch(/We hold nothing about you beyond your sign-in email/);
  });
});
