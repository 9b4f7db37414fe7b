/**
 * Generated listening items for the benchmarks: the same lifecycle as the demo data
 * (src/cli/listening-lifecycle.ts: events, conversation, SLA columns, escalations), at volume.
 * Creation times run evenly over the last year (ids are UUIDv7 of those times); recent items
 * are still open, and `stallChance` leaves a backlog of forgotten ones (breached, escalated).
 * Half of the items fall in "Car won't start", whose observations carry a planted root cause:
 * the items linked to the bench problem all bought vanilla, 22% of the others did. A second
 * problem links billing complaints (all paid by direct debit), a category of about 9% of items.
 */
import { randomBytes } from 'node:crypto';
import { type Random, seededRandom } from '../../src/cli/demo-data.ts';
import { bodyOf, subjects } from '../../src/cli/demo-listening-extras.ts';
import {
  type PlannedCategory,
  plannedCategories,
  plannedObservations,
} from '../../src/cli/listening-categories.ts';
import { idAt, type PlannedItem, planItemLife, type Staff } from '../../src/cli/listening-lifecycle.ts';
import type { ItemChannel, ItemKind, Priority } from '../../src/shared/listening.ts';

const DAY = 86_400_000;
type Row = Record<string, unknown>;

export interface ItemWorld {
  workspaceId: string;
  now: number;
  /** Customers: person id and email. */
  people: { id: string; email: string | null }[];
  agents: Staff[];
  lead: Staff;
  /** Category name → id. */
  categories: Map<string, string>;
  problemId: string;
  billingProblemId: string;
  /** Share of car items linked to the problem. */
  linkedShare: number;
  stallChance: number;
  /** Keep the events and messages of one item in this many (1: all); the items are all kept. */
  historyEvery: number;
}

export interface ItemBatch {
  items: Row[];
  events: Row[];
  messages: Row[];
  observations: Row[];
}

const kinds = [
  ['complaint', 40],
  ['request', 15],
  ['question', 15],
  ['suggestion', 10],
  ['praise', 10],
  ['opinion', 10],
] as const;
const channels = [
  ['email', 35],
  ['phone', 20],
  ['web_form', 15],
  ['chat', 10],
  ['portal', 5],
  ['social', 5],
  ['in_person', 5],
  ['survey', 3],
  ['letter', 2],
] as const;
const priorityWeights = [
  ['low', 15],
  ['normal', 55],
  ['high', 22],
  ['urgent', 8],
] as const;
const otherCategories = plannedCategories.filter((category) => category.name !== "Car won't start");
const car = plannedCategories.find((category) => category.name === "Car won't start")!;

export class ItemGenerator {
  private random: Random;
  private tokenPrefix = randomBytes(6).toString('base64url');
  private index = 0;

  constructor(
    private world: ItemWorld,
    private total: number,
    seed = 1234,
  ) {
    this.random = seededRandom(seed);
  }

  /** The next `count` items (oldest first) with their events, messages and observations. */
  batch(count: number): ItemBatch {
    const out: ItemBatch = { items: [], events: [], messages: [], observations: [] };
    const random = this.random;
    const world = this.world;
    const span = 365 * DAY;
    for (let n = 0; n < count && this.index < this.total; n++, this.index++) {
      const createdAt = world.now - span + Math.floor(((this.index + random.next()) * span) / this.total);
      const category: PlannedCategory | null = random.chance(0.5)
        ? car
        : random.chance(0.7)
          ? random.pick(otherCategories)
          : null;
      const planted = (category === car || category?.name === 'Billing') && random.chance(world.linkedShare);
      const kind: ItemKind = category === car ? 'complaint' : random.weighted(kinds);
      const customer = random.chance(0.95) ? random.pick(world.people) : null;
      const planned = planItemLife(random, {
        workspaceId: world.workspaceId,
        createdAt,
        now: world.now,
        kind,
        channel: random.weighted(channels) as ItemChannel,
        priority: random.weighted(priorityWeights) as Priority,
        subject: random.pick(subjects[category?.name ?? kind] ?? subjects[kind]!),
        body: bodyOf(category?.name ?? null, random),
        personId: customer?.id ?? null,
        email: customer?.email ?? null,
        reporterName: customer ? null : 'Walk-in customer',
        organizationId: null,
        categoryId: category ? world.categories.get(category.name)! : null,
        problemId: planted ? (category === car ? world.problemId : world.billingProblemId) : null,
        agents: world.agents,
        lead: world.lead,
        stallChance: world.stallChance,
        // Unique without a random call per item: a per-run prefix and the item's position.
        replyToken: `${this.tokenPrefix}${this.index.toString(36)}${random.int(1e9).toString(36)}`,
        tags: random.chance(0.1) ? [random.pick(['vip', 'press', 'repeat', 'social-media'])] : [],
      });
      out.items.push(planned.item);
      if (this.index % world.historyEvery === 0) {
        out.events.push(...planned.events);
        out.messages.push(...planned.messages);
      }
      if (category && category.template.length > 0)
        out.observations.push(...this.observations(planned, category, planted));
    }
    return out;
  }

  get done(): boolean {
    return this.index >= this.total;
  }

  private observations(planned: PlannedItem, category: PlannedCategory, planted: boolean): Row[] {
    const item = planned.item;
    const at = String(item.created_at);
    return plannedObservations(this.random, category, planted).map(([key, value]) => ({
      id: idAt(Date.parse(at), this.random),
      workspace_id: item.workspace_id,
      item_id: item.id,
      key,
      value_type: category.template.find((field) => field.key === key)!.type,
      // JSON text: a COPY reads jsonb columns as text.
      value: JSON.stringify(value),
      value_key: String(value).toLowerCase(),
      author_user_id: item.owner_id,
      created_at: at,
    }));
  }
}
