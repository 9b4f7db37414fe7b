import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { signedInUser } from '../support/factories.ts';
import { type Client, createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
});
afterAll(() => t.close());

async function createPerson(client: Client, body: Record<string, unknown>) {
  const response = await client.post('/api/v1/people', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function interaction(workspaceId: string, people: string[], occurredAt: string) {
  const id = newId();
  await sql`insert into interactions (id, workspace_id, type, occurred_at, summary)
    values (${id}, ${workspaceId}, 'call', ${occurredAt}, 'A call')`.execute(t.database.db);
  for (const person of people) {
    await sql`insert into interaction_people (workspace_id, interaction_id, person_id, occurred_at)
      values (${workspaceId}, ${id}, ${person}, ${occurredAt})`.execute(t.database.db);
  }
  return id;
}

async function link(
  workspaceId: string,
  from: [string, string],
  type: string,
  to: [string, string],
  note: string | null = null,
) {
  const id = newId();
  await sql`insert into relationships (id, workspace_id, from_type, from_id, to_type, to_id, type, note)
    values (${id}, ${workspaceId}, ${from[0]}, ${from[1]}, ${to[0]}, ${to[1]}, ${type}, ${note})`.execute(
    t.database.db,
  );
  return id;
}

/** Every reference row of the workspace, in a stable order, as full rows. */
async function references(workspaceId: string) {
  const participants = await sql<Record<string, unknown>>`
    select * from interaction_people where workspace_id = ${workspaceId}
    order by interaction_id, person_id`.execute(t.database.db);
  const links = await sql<Record<string, unknown>>`
    select * from relationships where workspace_id = ${workspaceId} order by id`.execute(t.database.db);
  return { participants: participants.rows, links: links.rows };
}

async function peopleRows(ids: string[]) {
  const { rows } = await sql<Record<string, unknown>>`
    select to_jsonb(p) as row from people p where id = any(cast(${ids} as uuid[])) order by id`.execute(
    t.database.db,
  );
  return rows;
}

describe('references follow the merge, and undo puts everything back exactly', () => {
  it('moves interactions and relationships, drops self-links and duplicates, restores them on undo', async () => {
    const ws = admin.workspaceId;
    const survivor = await createPerson(admin.client, {
      givenName: 'Mary',
      familyName: 'Somerville',
      emails: [{ value: 'mary@example.com' }],
      tags: ['science'],
    });
    const other = await createPerson(admin.client, {
      givenName: 'Mary',
      familyName: 'Fairfax',
      emails: [{ value: 'mary.fairfax@example.com' }],
      phones: [{ value: '+44 20 7946 0000' }],
      notes: 'Translated Laplace.',
    });
    const friend = await createPerson(admin.client, { givenName: 'Charles', familyName: 'Babbage' });
    const org = await admin.client.post('/api/v1/organizations', { name: 'Royal Society' });
    expect(org.status).toBe(201);

    const both = await interaction(ws, [survivor.id, other.id], '2026-01-01T10:00:00Z');
    const onlyOther = await interaction(ws, [other.id, friend.id], '2026-02-01T10:00:00Z');
    const onlySurvivor = await interaction(ws, [survivor.id], '2026-03-01T10:00:00Z');
    // other → org works_at duplicates survivor → org works_at: dropped.
    await link(ws, ['person', survivor.id], 'works_at', ['organization', org.body.id]);
    const dupWork = await link(
      ws,
      ['person', other.id],
      'works_at',
      ['organization', org.body.id],
      'since 1830',
    );
    // The two were linked to each other: becomes a self-link, dropped.
    const selfLink = await link(ws, ['person', survivor.id], 'family', ['person', other.id]);
    // Symmetric type in the opposite direction: a duplicate of survivor → friend.
    await link(ws, ['person', survivor.id], 'friend', ['person', friend.id]);
    const reverseFriend = await link(ws, ['person', friend.id], 'friend', ['person', other.id]);
    // Plain moves, both directions.
    const influences = await link(ws, ['person', other.id], 'influences', ['person', friend.id]);
    const referred = await link(ws, ['person', friend.id], 'referred_by', ['person', other.id]);

    const beforeRefs = await references(ws);
    const beforeRows = await peopleRows([survivor.id, other.id]);
    const beforeSurvivor = (await admin.client.get(`/api/v1/people/${survivor.id}`)).body;
    const beforeOther = (await admin.client.get(`/api/v1/people/${other.id}`)).body;

    const merged = await admin.client.post(`/api/v1/people/${survivor.id}/merge`, {
      otherId: other.id,
      fields: { emails: 'both', phones: 'both', notes: 'both', familyName: 'other' },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);

    const after = await references(ws);
    expect(after.participants.filter((row) => row.person_id === other.id)).toEqual([]);
    const survivorInteractions = after.participants
      .filter((row) => row.person_id === survivor.id)
      .map((row) => row.interaction_id)
      .sort();
    expect(survivorInteractions).toEqual([both, onlyOther, onlySurvivor].sort());
    const linkIds = after.links.map((row) => row.id);
    expect(linkIds).not.toContain(dupWork);
    expect(linkIds).not.toContain(selfLink);
    expect(linkIds).not.toContain(reverseFriend);
    expect(after.links.find((row) => row.id === influences)).toMatchObject({
      from_id: survivor.id,
      to_id: friend.id,
    });
    expect(after.links.find((row) => row.id === referred)).toMatchObject({
      from_id: friend.id,
      to_id: survivor.id,
    });
    expect(after.links.every((row) => row.from_id !== other.id && row.to_id !== other.id)).toBe(true);

    const detail = await admin.client.get(`/api/v1/merges/${merged.body.merge.id}`);
    expect(detail.body.references).toEqual({
      interaction_people: { moved: 1, deleted: 1 },
      relationships: { moved: 2, deleted: 3 },
    });

    const undo = await admin.client.post(`/api/v1/merges/${merged.body.merge.id}/undo`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(undo.body.merge.undoneAt).not.toBeNull();
    expect(undo.body.person).toEqual(beforeSurvivor);
    expect(undo.body.other).toEqual(beforeOther);
    expect((await admin.client.get(`/api/v1/people/${survivor.id}`)).body).toEqual(beforeSurvivor);
    expect((await admin.client.get(`/api/v1/people/${other.id}`)).body).toEqual(beforeOther);
    expect(await peopleRows([survivor.id, other.id])).toEqual(beforeRows);
    expect(await references(ws)).toEqual(beforeRefs);

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'person.merge_undone')
      .where('entity_id', '=', survivor.id)
      .execute();
    expect(audit).toHaveLength(1);

    const twice = await admin.client.post(`/api/v1/merges/${merged.body.merge.id}/undo`);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain('already undone');
    const listed = await admin.client.get('/api/v1/merges');
    expect(listed.body.data[0]).toMatchObject({
      id: merged.body.merge.id,
      undoneAt: undo.body.merge.undoneAt,
    });
  });

  it('can merge the same pair again after an undo', async () => {
    const a = await createPerson(admin.client, { givenName: 'Again', familyName: 'A' });
    const b = await createPerson(admin.client, { givenName: 'Again', familyName: 'B' });
    const first = await admin.client.post(`/api/v1/people/${a.id}/merge`, { otherId: b.id });
    expect((await admin.client.post(`/api/v1/merges/${first.body.merge.id}/undo`)).status).toBe(200);
    const second = await admin.client.post(`/api/v1/people/${b.id}/merge`, { otherId: a.id });
    expect(second.status).toBe(200);
    expect((await admin.client.get(`/api/v1/people/${a.id}`)).status).toBe(404);
  });
});

describe('undo refusals', () => {
  it('refuses with 409 when the survivor changed after the merge, saying why', async () => {
    const a = await createPerson(admin.client, { givenName: 'Edited', familyName: 'A' });
    const b = await createPerson(admin.client, { givenName: 'Edited', familyName: 'B' });
    const merged = await admin.client.post(`/api/v1/people/${a.id}/merge`, { otherId: b.id });
    const edit = await admin.client.patch(`/api/v1/people/${a.id}`, {
      jobTitle: 'Engineer',
      version: merged.body.person.version,
    });
    expect(edit.status).toBe(200);
    const undo = await admin.client.post(`/api/v1/merges/${merged.body.merge.id}/undo`);
    expect(undo.status).toBe(409);
    expect(undo.body.detail).toContain('changed after the merge');
    expect(undo.body.detail).toContain('overwrite');
    // Nothing was undone.
    expect((await admin.client.get(`/api/v1/people/${a.id}`)).body).toEqual(edit.body);
    expect((await admin.client.get(`/api/v1/people/${b.id}`)).status).toBe(404);
  });

  it('refuses with 409 when the survivor was merged into someone else since', async () => {
    const a = await createPerson(admin.client, { givenName: 'Chain', familyName: 'A' });
    const b = await createPerson(admin.client, { givenName: 'Chain', familyName: 'B' });
    const c = await createPerson(admin.client, { givenName: 'Chain', familyName: 'C' });
    const first = await admin.client.post(`/api/v1/people/${a.id}/merge`, { otherId: b.id });
    expect((await admin.client.post(`/api/v1/people/${c.id}/merge`, { otherId: a.id })).status).toBe(200);
    const undo = await admin.client.post(`/api/v1/merges/${first.body.merge.id}/undo`);
    expect(undo.status).toBe(409);
  });

  it('answers 404 for an unknown merge and 400 for a malformed id', async () => {
    expect((await admin.client.post(`/api/v1/merges/${newId()}/undo`)).status).toBe(404);
    expect((await admin.client.post('/api/v1/merges/nope/undo')).status).toBe(400);
  });
});
