import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  RawNode,
  sql,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric as escalationRate } from '../../src/features/metrics/definitions/escalation-rate.ts';
import { metric as leadEscalationRate } from '../../src/features/metrics/definitions/escalation-rate-lead.ts';
import { runMetric } from '../../src/features/metrics/run.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { openTestDatabase } from '../support/test-database.ts';

/**
 * A reader of one metric that empties the dirty queue drops the queued days of every metric. A
 * reader of another metric that found its rollup complete must not have those days dropped
 * between that check and its read (it read zeros for them). The race needs two connections: on
 * PostgreSQL this test failed before the fix; embedded PGlite (one connection) runs it serially.
 */
let database: Database;
const workspaceId = '00000000-0000-7000-8000-0000000000a1';

function addItems(count: number, escalated: boolean) {
  // Two days ago: days before today are read from the rollup by every metric, clock-reading ones too.
  return sql`insert into items (id, workspace_id, kind, channel, subject, body, priority, status, reply_token,
      created_at, escalated_at, escalation_level)
    select gen_random_uuid(), ${workspaceId}, 'complaint', 'email', 's', 'b', 'normal', 'new', md5(random()::text),
      now() - interval '2 days', ${escalated ? sql`now() - interval '2 days'` : sql`null`}, ${escalated ? 'lead' : 'agent'} from generate_series(1, ${count})`.execute(
    database.db,
  );
}

/** Runs `between` once, right after the rollup freshness check of the next metric read returns. */
class AfterFreshnessCheck implements KyselyPlugin {
  #checks = new WeakSet<object>();
  #pending: (() => Promise<void>) | null;
  constructor(between: () => Promise<void>) {
    this.#pending = between;
  }
  transformQuery(args: PluginTransformQueryArgs) {
    if (RawNode.is(args.node) && args.node.sqlFragments.join('').includes('from metric_day_dirty where'))
      this.#checks.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    if (this.#checks.has(args.queryId) && this.#pending) {
      const between = this.#pending;
      this.#pending = null;
      await between();
    }
    return args.result;
  }
}

beforeAll(async () => {
  database = await openTestDatabase();
  await sql`insert into workspaces (id, name) values (${workspaceId}, 'Race')`.execute(database.db);
  await addItems(10, false);
  await addItems(10, true);
});
afterAll(() => database.close());

describe('metric rollup reads under concurrent queue consumption', () => {
  it('a read whose rollup was complete is not emptied by another metric consuming the queue', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const query = { from: day(-4), to: day(-1), interval: 'week' as const };
    const built = await runMetric(database.db, workspaceId, escalationRate, query);
    expect(built.total).toMatchObject({ numerator: 10, denominator: 20 });
    await runMetric(database.db, workspaceId, leadEscalationRate, query);

    // Between escalation rate's check and its read: an item arrives (queued dirty) and the lead
    // escalation rate is read, which consumes the queue. It must wait for the first read to end.
    let other: Promise<unknown> = Promise.resolve();
    const raced = database.db.withPlugin(
      new AfterFreshnessCheck(async () => {
        other = addItems(1, false).then(() => runMetric(database.db, workspaceId, leadEscalationRate, query));
        await Promise.race([other, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      }),
    );
    const read = await runMetric(raced, workspaceId, escalationRate, query);
    await other;
    // As of before the new item (10 of 20) or after it (10 of 21): never the dropped day (0 of 0).
    expect(read.total.numerator).toBe(10);
    expect([20, 21]).toContain(read.total.denominator);
    const after = await runMetric(database.db, workspaceId, escalationRate, query);
    expect(after.total).toMatchObject({ numerator: 10, denominator: 21 });
    const facts = await runMetric(database.db, workspaceId, escalationRate, query, { source: 'facts' });
    expect(after.total).toEqual(facts.total);
  });
});
