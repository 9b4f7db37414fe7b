import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimilarityTier, similarityTiers, similarName } from '../../src/features/search/similarity.ts';
import { containsText } from '../../src/features/search/terms.ts';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The staged search (keyed lookups, then text, then similar names by tier, src/features/search):
 * what each shortcut must still find, and that an exact match ranks above a similar one.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
const ids: Record<string, string> = {};

interface Result {
  type: 'person' | 'organization';
  id: string;
  title: string;
  score: number;
}

async function search(q: string): Promise<Result[]> {
  const response = await admin.client.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}
const idsOf = (results: Result[]) => results.map((result) => result.id);

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  const initech = await admin.client.post('/api/v1/organizations', { name: 'Initech Systems' });
  ids.initech = initech.body.id;
  const people: Record<string, Record<string, unknown>> = {
    kirlin: { givenName: 'Margaret', familyName: 'Kirlin', organizationId: ids.initech },
    kilrin: { givenName: 'Margaret', familyName: 'Kilrin' },
    duras: { givenName: 'Marguerite', familyName: 'Duras' },
    stanislaw: { givenName: 'Stanisław', familyName: 'Bagiński' },
    leclerc: { givenName: 'Eugénie', familyName: 'Leclerc' },
    tanaka: { givenName: '雄太', familyName: '大谷' },
    cohen: { givenName: 'דקל', familyName: 'נועם' },
    email: {
      givenName: 'Earnestine',
      familyName: 'Ortiz',
      emails: [{ value: 'earnestine.ortiz@monahan.example' }],
    },
    tagged: { givenName: 'Tess', familyName: 'Tagger', tags: ['beta-tester'] },
    notes: { givenName: 'Ned', familyName: 'Noteworthy', notes: 'Met at the harbour **regatta** in Kiel.' },
  };
  // Enough namesakes that a page of substring matches is full: the similar-names step must not run.
  for (let n = 0; n < 25; n++) people[`smith${n}`] = { givenName: `Person${n}`, familyName: 'Goldsmith' };
  for (const [key, body] of Object.entries(people)) {
    const response = await admin.client.post('/api/v1/people', body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids[key] = response.body.id;
  }
}, 120_000);
afterAll(() => t.close());

describe('staged search', () => {
  it('ranks the exact name above a similar one, and finds the similar one when misspelt', async () => {
    const exact = await search('Margaret Kirlin');
    expect(exact[0]).toMatchObject({ id: ids.kirlin, score: 1 });
    // Two letters swapped in the middle, as the benchmark types them: found by the strict tier.
    const misspelt = await search('MargaretK irlin');
    expect(idsOf(misspelt)).toContain(ids.kirlin);
    expect(misspelt[0]!.score).toBeLessThan(1);
    // A bad typo (under the strict tier's threshold) still finds the name through the forgiving tier.
    expect(idsOf(await search('Margret Krilin'))).toContain(ids.kirlin);
  });

  it('finds a misspelt part of a longer name (word similarity)', async () => {
    expect((await search('Margerite'))[0]?.id).toBe(ids.duras);
    expect(idsOf(await search('Durras'))).toContain(ids.duras);
  });

  it('finds accented names typed without accents, in any case, by prefix and by typo', async () => {
    expect((await search('stanisław baginski'))[0]).toMatchObject({ id: ids.stanislaw, score: 1 });
    expect((await search('EUGENIE LECLERC'))[0]).toMatchObject({ id: ids.leclerc, score: 1 });
    expect((await search('Eugénie'))[0]?.id).toBe(ids.leclerc);
    expect(idsOf(await search('eugenie lecelrc'))).toContain(ids.leclerc);
  });

  it('finds CJK and Hebrew names whole, by one part, and by two characters', async () => {
    expect((await search('大谷雄太'))[0]?.id).toBe(ids.tanaka);
    expect((await search('雄太'))[0]?.id).toBe(ids.tanaka);
    expect((await search('大谷'))[0]?.id).toBe(ids.tanaka);
    expect((await search('נועם'))[0]?.id).toBe(ids.cohen);
  });

  it('finds a long email exactly and by a part longer than the indexed start', async () => {
    expect((await search('Earnestine.Ortiz@monahan.example'))[0]).toMatchObject({ id: ids.email, score: 1 });
    // More than 12 characters, not from the start: found by substring, not by the email key.
    const part = await search('ortiz@monahan.exam');
    expect(part[0]).toMatchObject({ id: ids.email, score: 0.7 });
    expect(await search('ortiz@monahan.exampel')).toEqual([]);
  });

  it('finds organizations first and their people below them', async () => {
    const results = await search('Initech');
    expect(results[0]).toMatchObject({ type: 'organization', id: ids.initech });
    expect(idsOf(results)).toContain(ids.kirlin);
    expect(idsOf(await search('Initek Systems'))[0]).toBe(ids.initech);
  });

  it('finds by exact tag and by a word of the notes', async () => {
    expect((await search('beta-tester'))[0]).toMatchObject({ id: ids.tagged, score: 0.8 });
    expect((await search('regatta'))[0]).toMatchObject({ id: ids.notes, score: 0.4 });
  });

  it('fills a page with substring matches and ranks them evenly', async () => {
    const results = await search('goldsmith');
    expect(results).toHaveLength(20);
    expect(results.every((result) => result.title.endsWith('Goldsmith'))).toBe(true);
  });
});

describe('a common word of the notes', () => {
  it('finds the first people by name among all who have it (more than 50), as the full-text index does', async () => {
    for (let n = 0; n < 60; n++) {
      const response = await admin.client.post('/api/v1/people', {
        givenName: `Crew${String(n).padStart(2, '0')}`,
        familyName: n % 2 ? 'Zephyr' : 'Anchor',
        notes: 'Sailing club member since the autumn regatta.',
      });
      expect(response.status).toBe(201);
    }
    const results = (await search('sailing')).filter((result) => result.type === 'person');
    const raw = await sql<{ id: string }>`
      select id from people where workspace_id = ${admin.workspaceId} and deleted_at is null
        and notes_search @@ plainto_tsquery('simple', 'sailing')
      order by sort_name, id limit 20`.execute(t.database.db);
    expect(idsOf(results)).toEqual(raw.rows.map((row) => row.id));
    expect(results.every((result) => result.score === 0.4)).toBe(true);
  });
});

describe('containsText', () => {
  it('matches exactly the rows containing the query, for short and long queries', async () => {
    const letters = fc.constantFrom('a', 'b', 'c', ' ', '@', '.', '%', '_', 'é', '小');
    const text = fc.array(letters, { maxLength: 40 }).map((chars) => chars.join(''));
    await fc.assert(
      fc.asyncProperty(text, text, async (haystack, needle) => {
        fc.pre(needle.length >= 3);
        const row = await sql<{ found: boolean }>`
          select ${containsText('t', needle)} as found from (select ${haystack}::text as t) x`.execute(
          t.database.db,
        );
        expect(row.rows[0]!.found).toBe(haystack.includes(needle));
      }),
      { numRuns: 150 },
    );
  });

  it('matches a word starting or ending with a query under 3 characters', async () => {
    for (const [haystack, needle, expected] of [
      ['王小明 小明 王', '小明', true],
      ['ann smith', 'an', true],
      ['ann smith', 'th', true],
      ['ann smith', 'mi', false],
    ] as const) {
      const row = await sql<{ found: boolean }>`
        select ${containsText('t', needle)} as found from (select ${haystack}::text as t) x`.execute(
        t.database.db,
      );
      expect(row.rows[0]!.found, `${needle} in ${haystack}`).toBe(expected);
    }
  });
});

describe('similarName', () => {
  const names = [
    'margaret kirlin',
    'marguerite duras',
    'stanislaw baginski',
    'eugenie leclerc',
    'ned noteworthy',
  ];
  // A name or one of its words with a few slips: letters swapped, dropped, doubled or replaced.
  const typo = fc
    .tuple(
      fc.constantFrom(...names, ...names.flatMap((name) => name.split(' '))),
      fc.array(fc.nat(), { maxLength: 3 }),
    )
    .map(([text, slips]) =>
      slips.reduce((word, slip) => {
        const at = slip % word.length;
        const edits = [
          word.slice(0, at) + word.slice(at + 1, at + 2) + word.slice(at, at + 1) + word.slice(at + 2),
          word.slice(0, at) + word.slice(at + 1),
          word.slice(0, at) + word[at] + word.slice(at),
          `${word.slice(0, at)}x${word.slice(at + 1)}`,
        ];
        return edits[slip % edits.length]!.trim() || word;
      }, text),
    );

  async function viaIndex(q: string, tier: SimilarityTier): Promise<string[]> {
    return t.database.db.transaction().execute(async (tx) => {
      // The trigram index, as on a big table (the gate must set the thresholds before it is read).
      await sql`set local enable_seqscan = off`.execute(tx);
      const rows = await sql<{ id: string }>`
        select id from people where workspace_id = ${admin.workspaceId} and ${similarName('search_name', q, tier)}
        order by id`.execute(tx);
      return rows.rows.map((row) => row.id);
    });
  }

  it('finds exactly the names at or above the tier thresholds, through the trigram index', async () => {
    await fc.assert(
      fc.asyncProperty(typo, fc.constantFrom(...similarityTiers), async (q, tier) => {
        const raw = await sql<{ id: string }>`
          select id from people where workspace_id = ${admin.workspaceId}
            and (similarity(search_name, ${q})::float8 >= ${tier.similarity}::float8
              or (strpos(${q}, ' ') = 0 and word_similarity(${q}, search_name)::float8 >= ${tier.wordSimilarity}::float8))
          order by id`.execute(t.database.db);
        expect(await viaIndex(q, tier), q).toEqual(raw.rows.map((row) => row.id));
      }),
      { numRuns: 120 },
    );
  });

  it('sets the thresholds for its own statement only', async () => {
    await search('Margaret Kilrni');
    await sql`select id from people where ${similarName('search_name', 'kirlin', similarityTiers[0]!)}`.execute(
      t.database.db,
    );
    // pg_trgm's defaults: what the list's q and other queries on the same connection see.
    const after = await sql<{ similarity: string; word: string }>`
      select current_setting('pg_trgm.similarity_threshold') as similarity,
        current_setting('pg_trgm.word_similarity_threshold') as word`.execute(t.database.db);
    expect(after.rows[0]).toEqual({ similarity: '0.3', word: '0.6' });
  });
});

describe('the forgiving tier', () => {
  it('runs only when no stage found anybody: a word of the notes is not taken for a misspelt name', async () => {
    const minnie = await admin.client.post('/api/v1/people', { givenName: 'Minnie', familyName: 'Abbott' });
    expect(minnie.status).toBe(201);
    // Alone, "Minnieton" is a misspelt "Minnie" (word similarity 0.6, under the strict tier's 0.8).
    expect(idsOf(await search('Minnieton'))).toContain(minnie.body.id);
    const visitor = await admin.client.post('/api/v1/people', {
      givenName: 'Vera',
      familyName: 'Visitor',
      notes: 'Runs the depot in Minnieton.',
    });
    expect(visitor.status).toBe(201);
    const results = await search('Minnieton');
    expect(idsOf(results)).toEqual([visitor.body.id]);
    expect(results[0]!.score).toBe(0.4);
  });
});
