import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, seedDemo } from '../../src/cli/seed.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let message: string;

beforeAll(async () => {
  t = await createTestApp();
  message = await seedDemo(t.database.db);
}, 180_000);
afterAll(() => t.close());

const count = async (table: string, where = sql`true`) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(
      t.database.db,
    )
  ).rows[0]!.n;

describe('rapport seed --demo: the portal', () => {
  it('adds published articles with a year of answers, a suggestions board, terms and intentcasts', async () => {
    expect(message).toMatch(/a portal with 8 help articles, 6 suggestions on the board and 3 intentcasts/);
    expect(await count('kb_articles', sql`status = 'published'`)).toBe(8);
    const spread = await sql<{ days: number; before: number }>`
      select count(distinct date_trunc('month', created_at))::int as days,
             count(*) filter (where context = 'before_submit')::int as before
      from kb_feedback`.execute(t.database.db);
    expect(spread.rows[0]!.days).toBeGreaterThanOrEqual(11);
    expect(spread.rows[0]!.before).toBeGreaterThan(20);
    // The counters agree with the answers they summarise.
    const mismatched = await sql<{ n: number }>`
      select count(*)::int as n from kb_articles a
      where helpful_yes <> (select count(*) from kb_feedback f where f.article_id = a.id and f.helpful)`.execute(
      t.database.db,
    );
    expect(mismatched.rows[0]!.n).toBe(0);
    expect(await count('items', sql`board_status is not null`)).toBe(6);
    expect(await count('items', sql`board_status = 'declined' and board_response is null`)).toBe(0);
    expect(await count('person_terms')).toBeGreaterThan(5);
    expect(await count('intents', sql`status = 'open'`)).toBe(3);
    expect(await count('portal_settings', sql`public_suggestions`)).toBe(1);
  });

  it('adds two goals from the gallery and cost settings that changed during the year', async () => {
    expect(message).toMatch(/2 goals with service cost settings/);
    expect(await count('goals')).toBe(2);
    expect(await count('cost_settings')).toBe(2);
    const admin = await t.database.db
      .selectFrom('users')
      .select('email')
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    const client = t.client();
    await client.post('/api/v1/auth/login', { email: admin.email, password: demoPassword });
    const goals = await client.get('/api/v1/goals');
    for (const goal of goals.body.data) {
      const progress = await client.get(`/api/v1/goals/${goal.id}/progress`);
      expect(progress.status).toBe(200);
      // A year of history: every target has a baseline to measure against.
      for (const target of progress.body.targets)
        expect(target.baseline.value, target.metric.name).not.toBeNull();
    }
  });

  it('is idempotent: a second seed adds nothing to the portal', async () => {
    const before = await count('kb_feedback');
    const again = await seedDemo(t.database.db);
    expect(again).toMatch(/nothing was added/);
    expect(await count('kb_feedback')).toBe(before);
  });
});
