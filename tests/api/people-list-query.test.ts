import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationsListQuery } from '../../src/features/organizations/queries.ts';
import { parsePersonSort, parseSort, tuneTrigrams } from '../../src/features/people/keyset.ts';
import { listPageWithQuery, listQueryReads } from '../../src/features/people/list-query-page.ts';
import { peopleListQuery, type QueryMatch } from '../../src/features/people/queries.ts';
import { foldForSearch } from '../../src/shared/people.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * A list filtered by `q` is read in steps (src/features/people/list-query-page.ts: a walk of the
 * list's order, then the rows containing q through the trigram index, then those up to a bound).
 * Whatever step answers, paging through the list must give every row containing q, once, in the
 * list's order. Small step sizes make every step answer on a small register.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let other: Awaited<ReturnType<typeof signedInUser>>;

const syllables = ['ka', 'lo', 'mi', 'ren', 'sa', 'tor', 'vel'];
const names: { givenName: string; familyName: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  other = await signedInUser(t, 'admin');
  // Names built from a few syllables: some substrings are in most names, some in a few, some in none.
  const pick = fc.sample(fc.array(fc.constantFrom(...syllables), { minLength: 2, maxLength: 4 }), {
    seed: 7,
    numRuns: 90,
  });
  for (const [n, parts] of pick.entries()) {
    const name = { givenName: parts.slice(0, 1).join(''), familyName: parts.slice(1).join('') };
    names.push(name);
    const stage = n % 3 === 0 ? 'customer' : 'prospect';
    const response = await admin.client.post('/api/v1/people', { ...name, stage });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }
  // Another workspace with the same names: never listed.
  for (const name of names.slice(0, 10)) await other.client.post('/api/v1/people', name);
  for (const [n, parts] of pick.slice(0, 30).entries()) {
    const name = `${parts.join('')} ${n % 2 === 0 ? 'Group' : 'Labs'}`;
    const response = await admin.client.post('/api/v1/organizations', { name });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
  }
  // Some people were contacted (a few at the same moment), the others never: both orders of that sort.
  await sql`update people set last_contacted_at = now() - make_interval(days => (id_rank % 4)::int)
    from (select id as ranked_id, row_number() over (order by id) as id_rank from people) r
    where people.id = r.ranked_id and r.id_rank % 3 <> 0`.execute(t.database.db);
}, 120_000);
afterAll(() => t.close());

type Cursor = { value: string; id: string } | null;

/** The ids of every page, each read by `readPage` after the previous page's last row (`size` per page). */
async function everyPage(
  size: number,
  readPage: (cursor: Cursor) => Promise<{ id: string; sort_value: string }[]>,
) {
  const seen: string[] = [];
  let cursor: Cursor = null;
  for (let page = 0; page < 200; page++) {
    const rows = await readPage(cursor);
    const pageRows = rows.slice(0, size);
    seen.push(...pageRows.map((row) => row.id));
    if (rows.length <= size) return seen;
    const last = pageRows.at(-1)!;
    cursor = { value: last.sort_value, id: last.id };
  }
  throw new Error('more than 200 pages');
}

/** Every page of the people list filtered by q, read through listPageWithQuery. */
function pagesOfPeople(
  q: string,
  sortName: string,
  size: number,
  stage: string | undefined,
  reads: typeof listQueryReads,
) {
  const sort = parsePersonSort(sortName as never);
  return everyPage(size, (cursor) =>
    t.database.db.transaction().execute((tx) =>
      listPageWithQuery(tx, {
        q,
        table: 'people',
        sort,
        cursor,
        rows: size + 1,
        reads,
        page: (qMatch, after) =>
          peopleListQuery(
            tx,
            admin.workspaceId,
            { limit: size, q: qMatch ? q : undefined, qMatch, ...(stage ? { stage: [stage] } : {}) } as never,
            sort,
            after,
          ),
      }),
    ),
  );
}

/** The same list in one plain query: every row containing q (or, forgiving, like it), in the list's order. */
async function allRowsOfPeople(
  q: string,
  sortName: string,
  stage: string | undefined,
  match: QueryMatch = 'exact',
  workspaceId = admin.workspaceId,
) {
  const sort = parsePersonSort(sortName as never);
  return t.database.db.transaction().execute(async (tx) => {
    if (match === 'forgiving') await tuneTrigrams(tx);
    return peopleListQuery(
      tx,
      workspaceId,
      { limit: 10_000, q, qMatch: match, ...(stage ? { stage: [stage] } : {}) } as never,
      sort,
      null,
    ).execute();
  });
}
const allOfPeople = async (...args: Parameters<typeof allRowsOfPeople>) =>
  (await allRowsOfPeople(...args)).map((row) => row.id);

const readsArbitrary = fc.record({
  walk: fc.integer({ min: 1, max: 8 }),
  longWalk: fc.integer({ min: 1, max: 40 }),
  containing: fc.integer({ min: 1, max: 30 }),
});

describe('a list filtered by q, read in steps', () => {
  it('pages through exactly the rows containing q, in order, whichever step answers', async () => {
    const queries = fc.oneof(
      fc.constantFrom(...syllables),
      fc.constantFrom(...syllables).chain((a) => fc.constantFrom(...syllables).map((b) => a + b)),
      fc.constantFrom(...names.map((name) => `${name.givenName} ${name.familyName}`)),
    );
    await fc.assert(
      fc.asyncProperty(
        queries,
        fc.constantFrom(
          'name',
          '-name',
          'createdAt',
          '-createdAt',
          '-updatedAt',
          'lastContactedAt',
          '-lastContactedAt',
        ),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(undefined, 'customer'),
        readsArbitrary,
        async (q, sortName, size, stage, reads) => {
          const exact = await allOfPeople(q, sortName, stage);
          // Nobody contains q: every page lists the similar names instead.
          const expected = exact.length > 0 ? exact : await allOfPeople(q, sortName, stage, 'forgiving');
          expect(await pagesOfPeople(q, sortName, size, stage, reads)).toEqual(expected);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
    // The register holds a q in most rows and one in few (the steps' sizes above are 1–40 rows).
    expect((await allOfPeople('ka', 'name', undefined)).length).toBeGreaterThan(20);
    expect((await allOfPeople(names[0]!.familyName, 'name', undefined)).length).toBeLessThan(10);
  }, 120_000);

  it('answers the default steps the same as one plain query, and never another workspace', async () => {
    for (const q of ['ka', 'mi', 'renvel', names[0]!.familyName]) {
      const expected = await allOfPeople(q, 'name', undefined);
      expect(await pagesOfPeople(q, 'name', 50, undefined, listQueryReads)).toEqual(expected);
      const response = await admin.client.get(`/api/v1/people?q=${q}&limit=200`);
      expect(response.status).toBe(200);
      expect(response.body.data.map((person: { id: string }) => person.id)).toEqual(expected);
    }
    const family = names[0]!.familyName;
    const theirs = await other.client.get(`/api/v1/people?q=${family}&limit=200`);
    const theirOwn = await allOfPeople(family, 'name', undefined, 'exact', other.workspaceId);
    expect(theirOwn.length).toBeGreaterThan(0);
    expect(theirs.body.data.map((person: { id: string }) => person.id)).toEqual(theirOwn);
  });

  it('lists similar names when nothing contains q, and nothing past the last match', async () => {
    const typo = 'Kalomiren';
    expect(await allOfPeople(foldForSearch(typo), 'name', undefined)).toEqual([]);
    const similar = await allOfPeople(foldForSearch(typo), 'name', undefined, 'forgiving');
    expect(similar.length).toBeGreaterThan(0);
    const response = await admin.client.get(`/api/v1/people?q=${typo}&limit=200`);
    expect(response.status).toBe(200);
    expect(response.body.data.map((person: { id: string }) => person.id)).toEqual(similar);
    // A cursor past every row containing q: an empty page, not the similar names.
    const last = (await allRowsOfPeople('ka', 'name', undefined)).at(-1)!;
    const afterLast = await t.database.db.transaction().execute((tx) =>
      listPageWithQuery(tx, {
        q: 'ka',
        table: 'people',
        sort: parsePersonSort('name'),
        cursor: { value: last.sort_value, id: last.id },
        rows: 11,
        reads: { walk: 1, longWalk: 1, containing: 1 },
        page: (qMatch, after) =>
          peopleListQuery(
            tx,
            admin.workspaceId,
            { limit: 10, q: qMatch ? 'ka' : undefined, qMatch } as never,
            parsePersonSort('name'),
            after,
          ),
      }),
    );
    expect(afterLast).toEqual([]);
  });

  it('reads organizations the same way, page by page', async () => {
    const sort = parseSort('-name');
    for (const q of ['ka', 'ren', 'group', 'labs', 'sa']) {
      const expected = (
        await organizationsListQuery(
          t.database.db,
          admin.workspaceId,
          { limit: 1000, q, qMatch: 'exact' } as never,
          sort,
          null,
        ).execute()
      ).map((row) => row.id);
      expect(expected.length).toBeGreaterThan(0);
      const seen = await everyPage(2, (cursor) =>
        t.database.db.transaction().execute((tx) =>
          listPageWithQuery(tx, {
            q,
            table: 'organizations',
            sort,
            cursor,
            rows: 3,
            reads: { walk: 1, longWalk: 2, containing: 1 },
            page: (qMatch, after) =>
              organizationsListQuery(
                tx,
                admin.workspaceId,
                { limit: 2, q: qMatch ? q : undefined, qMatch } as never,
                sort,
                after,
              ),
          }),
        ),
      );
      expect(seen).toEqual(expected);
    }
  });
});
