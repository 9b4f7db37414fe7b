import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ItemCursor, itemListQuery } from '../../src/features/items/queues.ts';
import { newId } from '../../src/platform/ids.ts';
import {
  type ItemStatus,
  itemStatuses,
  type ListItemsQuery,
  listItemsQuery,
} from '../../src/shared/listening.ts';
import { plantItems, plantWorkspace, testDatabaseForFile } from '../support/planted-items.ts';

// Every queue with the filters that can contradict or narrow it (status, breached, escalation
// level), paged through with the keyset cursor, gives exactly the items a plain reading of the
// queue's definition gives, newest first: the shortcuts of queues.ts (a contradicting filter
// answers nothing without a scan) and the indexes behind them change no answer.

const testDb = testDatabaseForFile();

const levels = ['agent', 'lead', 'manager', 'executive'] as const;
const open = new Set<ItemStatus>(['new', 'acknowledged', 'in_progress', 'waiting_on_customer', 'reopened']);
const queues = [
  'all',
  'open',
  'unowned',
  'mine',
  'team',
  'breached',
  'escalated',
  'waiting_on_customer',
] as const;

interface Planted {
  id: string;
  status: ItemStatus;
  owner: 0 | 1 | null;
  team: boolean;
  breached: boolean;
  level: (typeof levels)[number];
}

const itemArb = fc.record({
  status: fc.constantFrom(...itemStatuses),
  owner: fc.constantFrom(0 as const, 1 as const, null),
  team: fc.boolean(),
  breached: fc.boolean(),
  level: fc.constantFrom(...levels),
});

function inQueue(item: Planted, queue: (typeof queues)[number]): boolean {
  switch (queue) {
    case 'all':
      return true;
    case 'open':
      return open.has(item.status);
    case 'unowned':
      return item.owner === null && item.status !== 'resolved' && item.status !== 'closed';
    case 'mine':
      return item.owner === 0 && item.status !== 'closed';
    case 'team':
      return item.team && item.status !== 'closed';
    case 'breached':
      return item.breached && open.has(item.status);
    case 'escalated':
      return item.level !== 'agent' && open.has(item.status);
    case 'waiting_on_customer':
      return item.status === 'waiting_on_customer';
  }
}

function matches(item: Planted, filters: ListItemsQuery): boolean {
  return (
    (filters.status === undefined || item.status === filters.status) &&
    (filters.breached === undefined || item.breached === filters.breached) &&
    (filters.escalationLevel === undefined || item.level === filters.escalationLevel)
  );
}

describe('queues with filters', () => {
  it('list what the queue and filters define, page after page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(itemArb, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(...queues),
        fc.option(fc.constantFrom(...itemStatuses), { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.option(fc.constantFrom(...levels), { nil: undefined }),
        async (items, queue, status, breached, escalationLevel) => {
          const db = testDb();
          const workspaceId = await plantWorkspace(db, 'Queues');
          const teamId = newId();
          await db.insertInto('teams').values({ id: teamId, workspace_id: workspaceId, name: 'T' }).execute();
          const users = [newId(), newId()];
          await db
            .insertInto('users')
            .values(
              users.map((id, n) => ({
                id,
                workspace_id: workspaceId,
                email: `u${n}-${id}@example.com`,
                name: `U${n}`,
                role: 'agent' as const,
                status: 'active' as const,
                team_id: n === 0 ? teamId : null,
              })),
            )
            .execute();
          const planted: Planted[] = items.map((item) => ({ id: newId(), ...item }));
          await plantItems(
            db,
            workspaceId,
            planted.map((item) => ({
              id: item.id,
              status: item.status,
              owner_id: item.owner === null ? null : users[item.owner]!,
              team_id: item.team ? teamId : null,
              first_response_breached_at: item.breached ? new Date() : null,
              escalation_level: item.level,
              closed_at: item.status === 'closed' ? new Date() : null,
            })),
          );
          const filters = listItemsQuery.parse({
            queue,
            limit: 3,
            ...(status ? { status } : {}),
            ...(breached === undefined ? {} : { breached: String(breached) }),
            ...(escalationLevel ? { escalationLevel } : {}),
          });
          const context = { workspaceId, userId: users[0]!, now: new Date(), warnMinutes: 60 };
          const listed: string[] = [];
          let cursor: ItemCursor | null = null;
          for (let page = 0; page < 20; page++) {
            const rows = await itemListQuery(db, context, filters, cursor).execute();
            listed.push(...rows.slice(0, filters.limit).map((row) => row.id));
            if (rows.length <= filters.limit) break;
            cursor = { id: rows[filters.limit - 1]!.id };
          }
          const expected = planted
            .filter((item) => inQueue(item, queue) && matches(item, filters))
            .map((item) => item.id)
            .sort()
            .reverse();
          expect(listed).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
