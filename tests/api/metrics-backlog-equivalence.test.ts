import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The backlog metrics are computed as running sums (src/features/metrics/snapshot.ts). This test
 * checks them against the definition applied literally — one count per bucket end — on 400
 * generated items, day by day over six weeks that cross the switch to summer time.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInUser>>;
let ws: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInUser(t, 'admin');
  ws = admin.workspaceId;
  const db = t.database.db;
  await sql`insert into business_hours (workspace_id, time_zone) values (${ws}, 'Europe/Amsterdam')`.execute(
    db,
  );
  await sql`
    insert into items (id, workspace_id, kind, channel, subject, reply_token, created_at, resolved_at, closed_at,
      first_response_breached_at, resolution_breached_at, owner_id)
    select gen_random_uuid(), ${ws}, 'complaint', case when g % 3 = 0 then 'phone' else 'email' end, 'generated',
      md5(g::text), c,
      case when g % 3 = 0 then c + (g * 31 % 500) * interval '2 hours' end,
      case when g % 4 = 0 then c + (g * 17 % 300) * interval '3 hours' end,
      case when g % 5 = 0 then c + (g % 40) * interval '1 hour' end,
      case when g % 7 = 0 then c + (g % 90) * interval '5 hours' end,
      case when g % 2 = 0 then ${admin.user.id}::uuid end
    from (select g, timestamptz '2026-01-20T00:00:00Z' + (g * 7919 % 8000) * interval '17 minutes' as c
          from generate_series(1, 400) g) x`.execute(db);
});
afterAll(() => t.close());

const conditions: Record<string, string> = {
  backlog_open: 'true',
  backlog_unowned: 'i.owner_id is null',
  backlog_breached: '(i.first_response_breached_at < e.at or i.resolution_breached_at < e.at)',
  backlog_age_over_7_days: "i.created_at < e.at - interval '7 days'",
  backlog_age_over_30_days: "i.created_at < e.at - interval '30 days'",
};

describe('backlog running sums equal the literal definition', () => {
  it.each(Object.keys(conditions))('%s, day by day', async (name) => {
    const literal = await sql<{ start: string; n: number }>`
      with e as (
        select to_char(d, 'YYYY-MM-DD') as start, ((d + interval '1 day')::timestamp at time zone 'Europe/Amsterdam') as at
        from generate_series(timestamp '2026-03-10', timestamp '2026-04-20', interval '1 day') d
      )
      select e.start, count(i.id)::int as n from e
      left join items i on i.workspace_id = ${ws} and i.merged_into_id is null and i.created_at < e.at
        and (i.closed_at is null or i.closed_at >= e.at) and (i.resolved_at is null or i.resolved_at >= e.at)
        and ${sql.raw(conditions[name]!)}
      group by e.start order by e.start`.execute(t.database.db);
    const response = await admin.client.get(
      `/api/v1/metrics/${name}?from=2026-03-10&to=2026-04-20&interval=day`,
    );
    expect(response.status).toBe(200);
    const expected = literal.rows.map((row) => ({ start: row.start, value: row.n }));
    expect(
      response.body.series.map(({ start, value }: { start: string; value: number }) => ({ start, value })),
    ).toEqual(expected);
    // Something is actually measured.
    expect(expected.some((row) => row.value > 0)).toBe(true);
  });
});
