import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePersonSort } from '../../src/features/people/keyset.ts';
import { peopleListQuery } from '../../src/features/people/queries.ts';
import { type ListPeopleQuery, listPeopleQuery } from '../../src/shared/people.ts';
import { createWorkspace } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let workspaceId: string;

/**
 * 100,000 people in one workspace (plus 10,000 in another), with a realistic spread: 60% have
 * an email, 1% a phone, 20% were never contacted, a few have custom field values.
 */
beforeAll(async () => {
  t = await createTestApp();
  workspaceId = (await createWorkspace(t.database.db)).id;
  const otherId = (await createWorkspace(t.database.db, 'Other')).id;
  // Loading 120k rows into embedded PostgreSQL is much faster with the indexes built afterwards;
  // only the ones these queries can use are built again (the name index is the one they compete with).
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes where tablename = 'people' and indexname <> 'people_pkey'`.execute(
    t.database.db,
  );
  for (const { indexname } of indexes.rows) await sql`drop index ${sql.id(indexname)}`.execute(t.database.db);
  await sql`alter table people disable trigger all`.execute(t.database.db);
  const started = Date.now();
  for (const [id, count] of [
    [workspaceId, 100_000],
    [otherId, 10_000],
  ] as const) {
    await sql`
      insert into people (id, workspace_id, display_name, sort_name, search_name, search_text,
        email_keys, phone_keys, last_contacted_at, custom_fields)
      select gen_random_uuid(), ${id}, 'Person ' || n, 'person ' || lpad(n::text, 6, '0'), 'person ' || n, 'person ' || n,
        case when n % 5 < 3 then array['p' || n || '@example.com'] else '{}' end,
        case when n % 100 = 0 then array['+1415' || lpad(n::text, 7, '0')] else '{}' end,
        case when n % 5 = 4 then null else now() - make_interval(hours => n) end,
        case when n % 1000 = 7 then '{"tier": "gold", "interests": ["golf", "jazz"]}'::jsonb
             when n % 100 = 3 then '{"tier": "silver"}'::jsonb else '{}'::jsonb end
      from generate_series(1, ${count}) n`.execute(t.database.db);
  }
  const loaded = Date.now();
  for (const { indexname, indexdef } of indexes.rows) {
    if (/people_(name|has_email|has_phone|last_contacted|custom_fields)_idx/.test(indexname)) {
      await sql.raw(indexdef).execute(t.database.db);
    }
  }
  await sql`analyze people`.execute(t.database.db);
  console.log(`filled 120k people in ${loaded - started} ms, indexed in ${Date.now() - loaded} ms`);
}, 300_000);
afterAll(() => t.close());

async function planOf(params: Record<string, unknown>, customFieldMatches: string[] = []) {
  const query: ListPeopleQuery = listPeopleQuery.parse(params);
  const builder = peopleListQuery(
    t.database.db,
    workspaceId,
    { ...query, customFieldMatches },
    parsePersonSort(query.sort),
    null,
  );
  const compiled = builder.compile();
  const result = await t.database.db.executeQuery<{ 'QUERY PLAN': string }>({
    ...compiled,
    sql: `explain ${compiled.sql}`,
  });
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

describe('every list filter is served by an index (100k people)', () => {
  // [filter, params, custom field matches, index expected, or null: any index but no full scan]
  const hours = (n: number) => new Date(Date.now() - n * 3_600_000).toISOString();
  const cases: [string, Record<string, unknown>, string[], string | null][] = [
    // Common values: walking the name index and skipping a few rows is the best plan.
    ['hasEmail=true', { hasEmail: 'true' }, [], null],
    ['hasEmail=false', { hasEmail: 'false' }, [], null],
    ['hasPhone=false', { hasPhone: 'false' }, [], null],
    ['lastContactedBefore (most)', { lastContactedBefore: hours(10) }, [], null],
    // Selective values: the filter's own index.
    ['hasPhone=true (1%)', { hasPhone: 'true' }, [], 'people_has_phone_idx'],
    ['lastContactedAfter (last 2 days)', { lastContactedAfter: hours(48) }, [], 'people_last_contacted_idx'],
    ['lastContactedBefore (never contacted, long ago)', { lastContactedBefore: hours(99_990) }, [], null],
    ['sort=-lastContactedAt', { sort: '-lastContactedAt' }, [], 'people_last_contacted_idx'],
    [
      'sort=lastContactedAt + before',
      { sort: 'lastContactedAt', lastContactedBefore: hours(500) },
      [],
      'people_last_contacted_idx',
    ],
    ['customField (0.1%)', {}, ['{"tier": "gold"}'], 'people_custom_fields_idx'],
    ['customField multi-select (0.1%)', {}, ['{"interests": ["jazz"]}'], 'people_custom_fields_idx'],
  ];
  for (const [name, params, matches, index] of cases) {
    it(name, async () => {
      const plan = await planOf(params, matches);
      expect(plan, plan).not.toMatch(/Seq Scan on people/);
      if (index) expect(plan, plan).toContain(index);
    });
  }
});
