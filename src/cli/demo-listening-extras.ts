/**
 * Pieces of the demo listening register: the texts of items, which categories each kind falls
 * in, and what happens to an item after its planned life (the problem fix reaching its
 * customer, observations, votes).
 */
import { sql } from 'kysely';
import type { Queryable } from '../platform/db/database.ts';
import type { ItemKind } from '../shared/listening.ts';
import type { Random } from './demo-data.ts';
import { type PlannedCategory, plannedObservations, stores } from './listening-categories.ts';
import { idAt, type PlannedItem } from './listening-lifecycle.ts';

const DAY = 86_400_000;
type Row = Record<string, unknown>;

/** Multi-row INSERTs whose rows are objects keyed by column (JSON columns may hold objects). */
export async function insertAll(db: Queryable, table: string, rows: Row[], batch = 500) {
  for (let index = 0; index < rows.length; index += batch) {
    const slice = rows.slice(index, index + batch);
    const list = sql.join(Object.keys(slice[0]!).map((column) => sql.ref(column)));
    await sql`insert into ${sql.table(table)} (${list})
      select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(slice)}::json)`.execute(
      db,
    );
  }
}

export const subjects: Record<string, string[]> = {
  "Car won't start": [
    "Car won't start after shopping",
    'Engine dead in your car park',
    'Car would not start again this evening',
    'Starter clicks, nothing happens',
  ],
  Billing: ['Invoice shows the wrong VAT', 'Charged twice this month', 'Refund not received yet'],
  Delivery: ['Parcel arrived three days late', 'Delivery arrived damaged', 'Wrong item delivered'],
  'Mobile app': [
    'App crashes when I open my orders',
    'Cannot log in on Android',
    'Push messages arrive twice',
  ],
  'Service desk': ['Long wait on the phone', 'Nobody called me back', 'Great help from your service desk'],
  praise: ['Thank you for the quick fix', 'Friendly driver, well done', 'Love the new opening hours'],
  suggestion: ['Please open on Sundays', 'Offer an annual plan', 'Let me pick a delivery slot'],
  question: ['Do you ship to Belgium?', 'How do I change my address?', 'Is there a student discount?'],
  opinion: ['The new store layout is confusing', 'Prices went up too fast', 'Your newsletter is too long'],
  complaint: ['Nobody answered my email', 'Rude staff at the counter', 'Still waiting for my refund'],
  request: ['Please send a copy of my contract', 'Change the name on my account', 'Close my old account'],
};

export const categoryOfKind: Record<ItemKind, readonly (readonly [string | null, number])[]> = {
  complaint: [
    ["Car won't start", 30],
    ['Billing', 25],
    ['Delivery', 20],
    ['Mobile app', 15],
    ['Service desk', 10],
  ],
  request: [
    ['Billing', 50],
    ['Service desk', 30],
    [null, 20],
  ],
  question: [
    ['Service desk', 40],
    ['Mobile app', 20],
    [null, 40],
  ],
  suggestion: [
    ['Mobile app', 40],
    [null, 60],
  ],
  praise: [
    ['Service desk', 50],
    [null, 50],
  ],
  opinion: [[null, 1]],
};

export function bodyOf(category: string | null, random: Random): string {
  if (category === "Car won't start")
    return `I stopped at your ${random.pick(stores)} store for a few minutes and afterwards my car would not start.`;
  return random.pick([
    'Could you look into this, please?',
    'This is the second time; I would like an answer.',
    'Just wanted to let you know.',
  ]);
}

export interface Customer {
  id: string;
  email: string | null;
  organization_id: string | null;
}

export interface Seeded {
  planned: PlannedItem;
  email: string | null;
  category: PlannedCategory | null;
  planted: boolean;
}

/** The fix reaches every customer of a linked item: informed (fix notice) and, mostly, thanked and closed. */
export function applyFix(
  { planned, email }: Seeded,
  problem: Row,
  [fixedAt, now]: [number, number],
  random: Random,
) {
  const { item, events, messages } = planned;
  const owner = { id: String(problem.fixed_by), teamId: null };
  const at = (ms: number) => new Date(ms).toISOString();
  const event = (type: string, ms: number, data: Row) =>
    events.push({
      id: idAt(ms, random),
      workspace_id: item.workspace_id,
      item_id: item.id,
      type,
      actor_type: 'user',
      actor_id: owner.id,
      data,
      created_at: at(ms),
    });
  if (item.status !== 'resolved' && item.status !== 'closed') {
    item.status = 'resolved';
    item.resolved_at = at(fixedAt);
    item.resolution = String(problem.fix_summary);
    event('resolved', fixedAt, { resolution: item.resolution, problemId: problem.id });
  }
  item.sla_next_check_at = null;
  item.sla_paused_at = null;
  const how = email ? 'email' : 'phone';
  if (email) {
    messages.push({
      id: idAt(fixedAt + 60_000, random),
      workspace_id: item.workspace_id,
      item_id: item.id,
      kind: 'outbound',
      author_user_id: owner.id,
      person_id: item.person_id,
      from_address: null,
      to_address: email,
      subject: `Fixed: ${item.subject}`,
      body_text: String(problem.fix_summary),
      message_id: null,
      created_at: at(fixedAt + 60_000),
    });
  }
  item.informed_at = at(fixedAt + 60_000);
  event('informed', fixedAt + 60_000, { how, summary: problem.fix_summary, problemId: problem.id });
  if (item.status === 'resolved' && random.chance(0.7)) {
    const thanked = fixedAt + DAY + random.int(DAY);
    item.thanked_at = at(thanked);
    event('thanked', thanked, { how: 'phone' });
    item.status = 'closed';
    item.closed_at = at(Math.min(now, thanked + DAY));
    event('closed', Math.min(now, thanked + DAY), {});
  }
  events.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
  item.updated_at = events.at(-1)!.created_at;
}

export function observationRows(
  planned: PlannedItem,
  category: PlannedCategory,
  planted: boolean,
  now: number,
  random: Random,
): Row[] {
  const item = planned.item;
  const at = Math.min(now - 60_000, Date.parse(String(item.created_at)) + 30 * 60_000);
  const author = (item.owner_id as string | null) ?? null;
  return plannedObservations(random, category, planted).map(([key, value]) => {
    const field = category.template.find((f) => f.key === key)!;
    const id = idAt(at, random);
    if (author)
      planned.events.push({
        id: idAt(at, random),
        workspace_id: item.workspace_id,
        item_id: item.id,
        type: 'observation_added',
        actor_type: 'user',
        actor_id: author,
        data: { key, value },
        created_at: new Date(at).toISOString(),
      });
    return {
      id,
      workspace_id: item.workspace_id,
      item_id: item.id,
      key,
      value_type: field.type,
      value,
      value_key: String(value).toLowerCase(),
      author_user_id: author,
      created_at: new Date(at).toISOString(),
    };
  });
}

export function voteRows(planned: PlannedItem, customers: Customer[], now: number, random: Random): Row[] {
  const item = planned.item;
  const voters = random.sample(
    customers.filter((c) => c.id !== item.person_id),
    random.int(7),
  );
  item.vote_count = voters.length;
  return voters.map((voter, index) => {
    const at = Math.min(now - 60_000, Date.parse(String(item.created_at)) + (index + 1) * DAY);
    planned.events.push({
      id: idAt(at, random),
      workspace_id: item.workspace_id,
      item_id: item.id,
      type: 'voted',
      actor_type: 'system',
      actor_id: null,
      data: { personId: voter.id },
      created_at: new Date(at).toISOString(),
    });
    return {
      id: idAt(at, random),
      workspace_id: item.workspace_id,
      item_id: item.id,
      person_id: voter.id,
      user_id: null,
      created_at: new Date(at).toISOString(),
    };
  });
}
