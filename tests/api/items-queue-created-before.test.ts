import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type ItemCursor, itemListQuery } from '../../src/features/items/queues.ts';
import { type ItemStatus, itemStatuses, listItemsQuery } from '../../src/shared/listening.ts';
import { plantItems, plantWorkspace, testDatabaseForFile } from '../support/planted-items.ts';

// createdBefore pages read the ids under a bound derived from the date and the backdated items
// (migration 0021), merged: whatever the ids (UUIDv7 of the creation time, of another time, v4),
// every page lists exactly the items created before the date, newest id first.

const db = testDatabaseForFile();
const base = Date.parse('2026-06-01T12:00:00Z');
const minute = 60_000;
const open = new Set<ItemStatus>(['new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'reopened']);
const queues = ['all', 'open', 'unowned', 'recently_closed'] as const;

/** A UUIDv7 of the given millisecond with random bits. */
function idAt(ms: number): string {
  const hex = ms.toString(16).padStart(12, '0');
  const random = randomUUID().replace(/-/g, '');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${random.slice(13, 16)}-8${random.slice(17, 20)}-${random.slice(20)}`;
}

const itemArb = fc.record({
  createdMinutes: fc.integer({ min: -60 * 24 * 400, max: 60 * 24 * 5 }),
  // How the id relates to created_at: made then (± up to 3 minutes, across the tolerance of a
  // minute), made later (imported or backdated), made earlier, or a random v4 id.
  id: fc.oneof(
    fc.record({
      how: fc.constant('at' as const),
      skewMs: fc.oneof(
        fc.integer({ min: -3 * minute, max: 3 * minute }),
        fc.integer({ min: 0, max: minute }),
      ),
    }),
    fc.record({
      how: fc.constant('later' as const),
      skewMs: fc.integer({ min: 0, max: 500 * 24 * 60 * minute }),
    }),
    fc.record({
      how: fc.constant('earlier' as const),
      skewMs: fc.integer({ min: 0, max: 30 * 24 * 60 * minute }),
    }),
    fc.record({ how: fc.constant('v4' as const), skewMs: fc.constant(0) }),
  ),
  status: fc.constantFrom(...itemStatuses),
  owned: fc.boolean(),
});

describe('createdBefore pages', () => {
  it('list exactly the items created before the date, newest id first, page after page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { minLength: 1, maxLength: 25 }),
        fc.constantFrom(...queues),
        // The date: an item's created_at exactly (the bound is strict), or near one, or anywhere.
        fc.nat(24),
        fc.oneof(fc.integer({ min: -2 * minute, max: 2 * minute }), fc.integer({ min: 1, max: minute })),
        fc.option(fc.integer({ min: -60 * 24 * 400, max: 60 * 24 * 5 }), { nil: undefined }),
        fc.option(fc.integer({ min: -60 * 24 * 400, max: 0 }), { nil: undefined }),
        fc.integer({ min: 1, max: 4 }),
        async (items, queue, pick, jitterMs, anywhere, afterMinutes, limit) => {
          const workspaceId = await plantWorkspace(db(), 'Created before');
          const userId = randomUUID();
          const planted = items.map((item) => {
            const created = base + item.createdMinutes * minute;
            const id =
              item.id.how === 'v4'
                ? randomUUID()
                : idAt(
                    item.id.how === 'at'
                      ? Math.max(0, created + item.id.skewMs)
                      : item.id.how === 'later'
                        ? created + item.id.skewMs
                        : Math.max(0, created - item.id.skewMs),
                  );
            return { id, created, status: item.status, owned: item.owned };
          });
          await plantItems(
            db(),
            workspaceId,
            planted.map((item) => ({
              id: item.id,
              status: item.status,
              created_at: new Date(item.created),
              owner_id: null,
              closed_at: item.status === 'closed' ? new Date(base) : null,
              ...(item.owned ? { tags: ['owned'] } : {}),
            })),
          );
          // "Owned" items get an owner in the workspace (unowned queue).
          if (planted.some((item) => item.owned)) {
            await sql`insert into users (id, workspace_id, email, name, role, status)
              values (${userId}, ${workspaceId}, ${`u-${userId}@example.com`}, 'U', 'agent', 'active')`.execute(
              db(),
            );
            await sql`update items set owner_id = ${userId} where workspace_id = ${workspaceId}
              and 'owned' = any(tags)`.execute(db());
          }
          const before =
            anywhere === undefined
              ? planted[pick % planted.length]!.created + (pick % 3 === 0 ? 0 : jitterMs)
              : base + anywhere * minute;
          const after = afterMinutes === undefined ? undefined : base + afterMinutes * minute;
          const filters = listItemsQuery.parse({
            queue,
            limit,
            createdBefore: new Date(before).toISOString(),
            ...(after === undefined ? {} : { createdAfter: new Date(after).toISOString() }),
          });
          const now = new Date(base);
          const context = { workspaceId, userId, now, warnMinutes: 60 };
          const listed: string[] = [];
          let cursor: ItemCursor | null = null;
          for (let page = 0; page < 40; page++) {
            const rows: { id: string; cursor_at: string | null }[] = await itemListQuery(
              db(),
              context,
              filters,
              cursor,
            ).execute();
            listed.push(...rows.slice(0, limit).map((row) => row.id));
            if (rows.length <= limit) break;
            const last = rows[limit - 1]!;
            cursor = last.cursor_at ? { id: last.id, at: last.cursor_at } : { id: last.id };
          }
          const inQueue = (item: (typeof planted)[number]) =>
            queue === 'all' ||
            (queue === 'open' && open.has(item.status)) ||
            (queue === 'unowned' && !item.owned && item.status !== 'resolved' && item.status !== 'closed') ||
            (queue === 'recently_closed' && item.status === 'closed');
          const expected = planted
            .filter(
              (item) =>
                inQueue(item) && item.created < before && (after === undefined || item.created >= after),
            )
            .map((item) => item.id)
            .sort()
            .reverse();
          expect(listed).toEqual(expected);
        },
      ),
      { numRuns: 80 },
    );
  }, 180_000);
});
