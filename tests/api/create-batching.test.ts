import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteBatcher } from '../../src/platform/db/write-batcher.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  await sql`create table batch_probe (key text primary key)`.execute(t.database.db);
});
afterAll(() => t.close());

async function probeKeys(): Promise<string[]> {
  const result = await sql<{ key: string }>`select key from batch_probe order by key`.execute(t.database.db);
  return result.rows.map((row) => row.key);
}

describe('WriteBatcher', () => {
  it('writes inputs submitted together in one transaction, each with its own result or error', async () => {
    const batches: string[][] = [];
    const batcher = new WriteBatcher<string, string>(t.database.db, {
      writeBatch: async (tx, keys) => {
        batches.push(keys);
        const good = keys.filter((key) => !key.startsWith('bad'));
        await sql`insert into batch_probe (key) select unnest(${good}::text[])`.execute(tx);
        return keys.map((key) =>
          key.startsWith('bad')
            ? { ok: false, error: new Error(`${key} refused`) }
            : { ok: true, value: key },
        );
      },
    });
    const outcomes = await Promise.allSettled(
      ['a1', 'a2', 'bad3', 'a4'].map((key) => batcher.submit('w', key)),
    );
    expect(batches).toEqual([['a1', 'a2', 'bad3', 'a4']]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((outcomes[2] as PromiseRejectedResult).reason.message).toBe('bad3 refused');
    expect(await probeKeys()).toEqual(['a1', 'a2', 'a4']);
  });

  it('writes each input alone when the batch transaction fails, so that only the bad one fails', async () => {
    const batches: string[][] = [];
    const batcher = new WriteBatcher<string, string>(t.database.db, {
      writeBatch: async (tx, keys) => {
        batches.push(keys);
        // A real unique violation: 'a1' is already there.
        await sql`insert into batch_probe (key) select unnest(${keys}::text[])`.execute(tx);
        return keys.map((key) => ({ ok: true, value: key }));
      },
    });
    const outcomes = await Promise.allSettled(['b1', 'a1', 'b2'].map((key) => batcher.submit('w', key)));
    expect(batches).toEqual([['b1', 'a1', 'b2'], ['b1'], ['a1'], ['b2']]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason.message)).toMatch(/duplicate key|unique/i);
    expect(await probeKeys()).toEqual(['a1', 'a2', 'a4', 'b1', 'b2']);
  });

  it('collects what arrives while a batch is in flight into the next batch, and keeps keys apart', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = new WriteBatcher<string, string>(t.database.db, {
      writeBatch: async (_tx, keys) => {
        batches.push(keys);
        if (batches.length === 1) await gate;
        return keys.map((key) => ({ ok: true, value: key.toUpperCase() }));
      },
    });
    const first = batcher.submit('w1', 'x');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = [batcher.submit('w1', 'y'), batcher.submit('w1', 'z'), batcher.submit('w2', 'other')];
    await new Promise((resolve) => setTimeout(resolve, 20));
    // y and z wait for x's batch (PGlite's one connection also makes w2's batch wait for it).
    const duringFirst = batches.map((keys) => keys.join());
    release();
    expect(duringFirst).not.toContain('y,z');
    expect(duringFirst[0]).toBe('x');
    expect(await Promise.all([first, ...later])).toEqual(['X', 'Y', 'Z', 'OTHER']);
    expect(batches.map((keys) => keys.join()).sort()).toEqual(['other', 'x', 'y,z']);
  });
});

describe('concurrent creates through the API', () => {
  it('people: one invalid phone fails alone; every other person lands with its own audit entry', async () => {
    const bodies = Array.from({ length: 8 }, (_, index) => ({
      givenName: `Batch${index}`,
      familyName: 'Person',
      phones: [{ value: index === 3 ? '12' : `+44 20 7946 09${String(index).padStart(2, '0')}` }],
    }));
    const responses = await Promise.all(bodies.map((body) => admin.client.post('/api/v1/people', body)));
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 422, 201, 201, 201, 201]);
    expect(JSON.stringify(responses[3]!.body)).toContain('body.phones.0');
    const ids = responses.filter((response) => response.status === 201).map((response) => response.body.id);
    expect(new Set(ids).size).toBe(7);
    expect(responses[0]!.body.givenName).toBe('Batch0');
    expect(responses[7]!.body.givenName).toBe('Batch7');
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'request_id'])
      .where('action', '=', 'person.created')
      .where('entity_id', 'in', ids)
      .execute();
    expect(audits.map((row) => row.entity_id).sort()).toEqual([...ids].sort());
    expect(new Set(audits.map((row) => row.request_id)).size).toBe(7);
  });

  it('items: a foreign person fails alone; the others get their events, audit and acknowledgement', async () => {
    const person = await admin.client.post('/api/v1/people', {
      givenName: 'Carla',
      emails: [{ value: 'carla@example.com' }],
    });
    expect(person.status).toBe(201);
    const bodies = Array.from({ length: 6 }, (_, index) => ({
      kind: 'complaint',
      subject: `Batched ${index}`,
      personId: index === 2 ? '00000000-0000-4000-8000-000000000000' : person.body.id,
    }));
    const responses = await Promise.all(bodies.map((body) => admin.client.post('/api/v1/items', body)));
    expect(responses.map((response) => response.status)).toEqual([201, 201, 422, 201, 201, 201]);
    expect(JSON.stringify(responses[2]!.body)).toContain('body.personId');
    const ids = responses.filter((response) => response.status === 201).map((response) => response.body.id);
    for (const response of responses.filter((r) => r.status === 201)) {
      expect(response.body.status).toBe('acknowledged');
      expect(response.body.personId).toBe(person.body.id);
    }
    const refs = responses.filter((r) => r.status === 201).map((r) => r.body.ref);
    expect(new Set(refs).size).toBe(5);
    const events = await t.database.db
      .selectFrom('item_events')
      .select(['item_id', 'type'])
      .where('item_id', 'in', ids)
      .execute();
    for (const id of ids) {
      expect(
        events
          .filter((event) => event.item_id === id)
          .map((event) => event.type)
          .sort(),
      ).toEqual(['acknowledged', 'created']);
    }
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'item.created')
      .where('entity_id', 'in', ids)
      .execute();
    expect(audits).toHaveLength(5);
    const messages = await t.database.db
      .selectFrom('item_messages')
      .innerJoin('outbox', 'outbox.id', 'item_messages.outbox_id')
      .select(['item_messages.item_id', 'outbox.to_address'])
      .where('item_messages.item_id', 'in', ids)
      .execute();
    expect(messages.map((message) => message.item_id).sort()).toEqual([...ids].sort());
    expect(new Set(messages.map((message) => message.to_address))).toEqual(new Set(['carla@example.com']));
  });

  it('items: concurrent items of one new reporter create one person, in one batch or several', async () => {
    const responses = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
        admin.client.post('/api/v1/items', {
          kind: 'question',
          subject: `Q${n}`,
          reporterEmail: 'newbie@example.com',
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
    expect(new Set(responses.map((response) => response.body.personId)).size).toBe(1);
    const people = await admin.client.get('/api/v1/people?q=newbie');
    expect(people.body.data).toHaveLength(1);
  });

  it('duplicate submits with one Idempotency-Key still create once and replay the answer', async () => {
    const body = { givenName: 'Once', familyName: 'Only' };
    const headers = { 'idempotency-key': 'batch-dup-1' };
    const first = await admin.client.post('/api/v1/people', body, headers);
    const again = await admin.client.post('/api/v1/people', body, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const found = await admin.client.get('/api/v1/people?q=Once');
    expect(found.body.data.filter((p: { familyName: string }) => p.familyName === 'Only')).toHaveLength(1);
  });
});
