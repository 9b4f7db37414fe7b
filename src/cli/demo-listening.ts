/**
 * The demo workspace's listening register (`rapport seed --demo`): a team with a lead, SLA
 * policies, business hours and escalation rules, categories with observation templates, a few
 * hundred items over the last twelve months with their whole history (events, conversation,
 * observations, votes), and two problems: the vanilla ice-cream one (fixed, every customer
 * informed) and a billing one still under investigation. Deterministic; written with multi-row
 * INSERTs in the caller's transaction.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { refreshItemSla } from '../features/sla/refresh.ts';
import { type AuditContext, audit } from '../platform/audit.ts';
import type { Tx } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import {
  type ItemChannel,
  type ItemKind,
  itemKinds,
  openStatuses,
  type Priority,
  priorities,
} from '../shared/listening.ts';
import { seededRandom } from './demo-data.ts';
import {
  applyFix,
  bodyOf,
  type Customer,
  categoryOfKind,
  insertAll,
  observationRows,
  type Seeded,
  subjects,
  voteRows,
} from './demo-listening-extras.ts';
import { plannedCategories } from './listening-categories.ts';
import { idAt, planItemLife, plannedSla, type Staff } from './listening-lifecycle.ts';

const DAY = 86_400_000;
export const demoListeningCounts = { items: 300, fixedProblemItems: 20, openProblemItems: 8 };
type Row = Record<string, unknown>;

export async function seedListening(tx: Tx, context: AuditContext, workspaceId: string, now = Date.now()) {
  const existing = await tx
    .selectFrom('items')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .limit(1)
    .executeTakeFirst();
  if (existing) return null;
  const random = seededRandom(5005);
  const users = await tx
    .selectFrom('users')
    .select(['id', 'email', 'role'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('email')
    .execute();
  const userByEmail = (local: string) => users.find((user) => user.email.startsWith(`${local}@`))?.id ?? null;
  // A demo workspace seeded before the register existed may have set some of this up by hand.
  const team = await tx
    .selectFrom('teams')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`lower(name) = 'customer care'`)
    .executeTakeFirst();
  const teamId = team?.id ?? idAt(now - 400 * DAY, random);
  if (!team) {
    await tx
      .insertInto('teams')
      .values({ id: teamId, workspace_id: workspaceId, name: 'Customer care' })
      .execute();
    await audit(tx, context, {
      action: 'team.created',
      entity: 'team',
      entityId: teamId,
      after: { name: 'Customer care' },
    });
  }
  const agentIds = ['agent', 'agent2', 'manager'].map(userByEmail).filter((id): id is string => id !== null);
  const leadId = userByEmail('agent2');
  for (const id of agentIds) {
    const ladder = id === leadId ? 'lead' : null;
    await tx
      .updateTable('users')
      .set({ team_id: teamId, ladder_level: ladder })
      .where('id', '=', id)
      .execute();
    await audit(tx, context, {
      action: 'user.updated',
      entity: 'user',
      entityId: id,
      after: { teamId, ladderLevel: ladder },
    });
  }
  const agents: Staff[] = agentIds.map((id) => ({ id, teamId }));
  const lead: Staff = { id: leadId ?? agents[0]!.id, teamId };
  await seedSettings(tx, context, workspaceId);

  const categories = new Map<string, string>();
  const existingCategories = await tx
    .selectFrom('item_categories')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  for (const category of plannedCategories) {
    const id = idAt(now - 390 * DAY, random);
    const found = existingCategories.find((row) => row.name.toLowerCase() === category.name.toLowerCase());
    categories.set(category.name, found?.id ?? id);
    if (found) continue;
    const row = {
      id,
      workspace_id: workspaceId,
      name: category.name,
      observation_template: JSON.stringify(category.template),
    };
    await tx.insertInto('item_categories').values(row).execute();
    await audit(tx, context, {
      action: 'item_category.created',
      entity: 'item_category',
      entityId: id,
      after: row,
    });
  }
  const fixedAt = now - 45 * DAY;
  const problems = [
    {
      id: idAt(now - 100 * DAY, random),
      workspace_id: workspaceId,
      title: 'Cars do not start after a quick stop for vanilla ice cream',
      hypothesis:
        'Vanilla is in the front freezer: the stop is too short for the engine to cool (vapour lock).',
      owner_id: lead.id,
      status: 'fixed',
      fix_summary:
        'Vanilla ice cream is now packed ready at the counter, so the stop takes as long as for any flavour.',
      fixed_at: new Date(fixedAt).toISOString(),
      fixed_by: lead.id,
      created_by: lead.id,
      created_at: new Date(now - 100 * DAY).toISOString(),
      updated_at: new Date(fixedAt).toISOString(),
    },
    {
      id: idAt(now - 10 * DAY, random),
      workspace_id: workspaceId,
      title: 'Direct-debit invoices show 19% VAT',
      hypothesis: 'The direct-debit run still uses last year’s tax table.',
      owner_id: userByEmail('manager'),
      status: 'investigating',
      fix_summary: null,
      fixed_at: null,
      fixed_by: null,
      created_by: userByEmail('manager'),
      created_at: new Date(now - 10 * DAY).toISOString(),
      updated_at: new Date(now - 10 * DAY).toISOString(),
    },
  ];
  await insertAll(tx, 'problems', problems);
  for (const problem of problems)
    await audit(tx, context, {
      action: 'problem.created',
      entity: 'problem',
      entityId: problem.id,
      after: problem,
    });

  const customers = await sql<Customer>`
    select id, emails->0->>'value' as email, organization_id from people
    where workspace_id = ${workspaceId} and deleted_at is null order by id`.execute(tx);
  const plan = (
    createdAt: number,
    kind: ItemKind,
    category: string | null,
    options: { planted?: boolean; problemId?: string; until?: number; stall?: number },
  ) => {
    const who = random.next();
    const customer = who < 0.88 ? random.pick(customers.rows) : null;
    const reporter = who >= 0.88 && who < 0.95;
    const channel: ItemChannel = random.weighted([
      ['email', 35],
      ['phone', 20],
      ['web_form', 15],
      ['chat', 10],
      ['portal', 5],
      ['social', 5],
      ['in_person', 5],
      ['survey', 3],
      ['letter', 2],
    ] as const);
    const priority: Priority =
      kind === 'complaint'
        ? random.weighted([
            ['low', 5],
            ['normal', 50],
            ['high', 30],
            ['urgent', 15],
          ] as const)
        : random.weighted([
            ['low', 30],
            ['normal', 60],
            ['high', 10],
          ] as const);
    const email = customer?.email ?? (reporter ? `walk-in${random.int(1000)}@mail.example` : null);
    const planned = planItemLife(random, {
      workspaceId,
      createdAt,
      now: options.until ?? now,
      kind,
      channel,
      priority,
      subject: random.pick(subjects[category ?? kind] ?? subjects[kind]!),
      body: bodyOf(category, random),
      personId: customer?.id ?? null,
      email,
      reporterName: reporter ? 'Walk-in customer' : null,
      organizationId: customer?.organization_id ?? null,
      categoryId: category ? categories.get(category)! : null,
      problemId: options.problemId ?? null,
      agents,
      lead,
      stallChance: options.stall ?? 0.04,
      replyToken: randomBytes(24).toString('base64url'),
      tags: random.chance(0.15) ? [random.pick(['vip', 'press', 'repeat'])] : [],
    });
    const planted = options.planted ?? false;
    return { planned, email, category: plannedCategories.find((c) => c.name === category) ?? null, planted };
  };

  const seeded: Seeded[] = [];
  const start = now - 365 * DAY;
  for (let index = 0; index < demoListeningCounts.items; index++) {
    // The last dozen arrived this morning: some are still new or unowned.
    const fromEnd = demoListeningCounts.items - index;
    const createdAt =
      fromEnd <= 12
        ? now - fromEnd * 20 * 60_000
        : start + Math.floor(((index + random.next()) * 365 * DAY) / demoListeningCounts.items);
    const kind = random.weighted([
      ['complaint', 32],
      ['request', 18],
      ['question', 18],
      ['suggestion', 12],
      ['praise', 12],
      ['opinion', 8],
    ] as const);
    seeded.push(plan(createdAt, kind, random.weighted(categoryOfKind[kind]), {}));
  }
  for (let index = 0; index < demoListeningCounts.fixedProblemItems; index++) {
    const createdAt = now - 150 * DAY + index * 4 * DAY + random.int(DAY);
    const item = plan(createdAt, 'complaint', "Car won't start", {
      problemId: problems[0]!.id,
      until: fixedAt,
      stall: 0.6,
      planted: true,
    });
    applyFix(item, problems[0]!, [fixedAt, now], random);
    seeded.push(item);
  }
  for (let index = 0; index < demoListeningCounts.openProblemItems; index++) {
    const createdAt = now - 25 * DAY + index * 3 * DAY + random.int(DAY);
    seeded.push(
      plan(createdAt, 'complaint', 'Billing', { problemId: problems[1]!.id, stall: 0.3, planted: true }),
    );
  }
  seeded.sort((a, b) => String(a.planned.item.id).localeCompare(String(b.planned.item.id)));

  const observations: Row[] = [];
  const votes: Row[] = [];
  for (const { planned, category, planted } of seeded) {
    const item = planned.item;
    if (category && category.template.length > 0 && (planted || random.chance(0.75)))
      observations.push(...observationRows(planned, category, planted, now, random));
    if (item.kind === 'suggestion') votes.push(...voteRows(planned, customers.rows, now, random));
  }
  await insertAll(
    tx,
    'items',
    seeded.map((s) => s.planned.item),
  );
  await insertAll(
    tx,
    'item_events',
    seeded.flatMap((s) => s.planned.events),
  );
  await insertAll(
    tx,
    'item_messages',
    seeded.flatMap((s) => s.planned.messages),
  );
  if (observations.length) await insertAll(tx, 'item_observations', observations);
  if (votes.length) await insertAll(tx, 'item_votes', votes);
  for (const { planned } of seeded) {
    const item = planned.item;
    await audit(tx, context, {
      action: 'item.created',
      entity: 'item',
      entityId: String(item.id),
      after: { id: item.id, kind: item.kind, subject: item.subject, status: item.status },
    });
    if ((openStatuses as readonly unknown[]).includes(item.status))
      await refreshItemSla(tx, workspaceId, String(item.id), new Date(now));
  }
  await sql`analyze items, item_events, item_messages, item_observations`.execute(tx);
  return { items: seeded.length, problems: problems.length, categories: categories.size };
}

/** SLA policies, business hours and escalation rules, each unless the workspace has its own. */
async function seedSettings(tx: Tx, context: AuditContext, workspaceId: string) {
  const has = async (table: string) =>
    (
      await sql<{ found: boolean }>`select exists (select 1 from ${sql.table(table)}
        where workspace_id = ${workspaceId}) as found`.execute(tx)
    ).rows[0]!.found;
  const policies = itemKinds.flatMap((kind) =>
    priorities.map((priority) => ({
      workspace_id: workspaceId,
      kind,
      priority,
      first_response_minutes: plannedSla[priority][0],
      resolution_minutes: plannedSla[priority][1],
    })),
  );
  if (!(await has('sla_policies'))) {
    await insertAll(tx, 'sla_policies', policies);
    await audit(tx, context, {
      action: 'sla_policies.updated',
      entity: 'workspace',
      entityId: workspaceId,
      after: { policies },
    });
  }
  const hours = {
    workspace_id: workspaceId,
    time_zone: 'Europe/Amsterdam',
    schedule: JSON.stringify([1, 2, 3, 4, 5].map((day) => ({ day, start: '08:30', end: '17:30' }))),
    holidays: JSON.stringify(['2026-12-25', '2026-12-26', '2027-01-01', '2027-04-27']),
    warn_before_minutes: 60,
  };
  if (!(await has('business_hours'))) {
    await tx.insertInto('business_hours').values(hours).execute();
    await audit(tx, context, {
      action: 'business_hours.updated',
      entity: 'workspace',
      entityId: workspaceId,
      after: hours,
    });
  }
  const rules = [
    { trigger: 'first_response_breach', factor: null, level: 'lead' },
    { trigger: 'resolution_breach', factor: null, level: 'manager' },
    { trigger: 'resolution_overdue', factor: 2, level: 'executive' },
  ].map((rule, position) => ({ id: newId(), workspace_id: workspaceId, ...rule, position }));
  if (!(await has('escalation_rules'))) {
    await insertAll(tx, 'escalation_rules', rules);
    await audit(tx, context, {
      action: 'escalation_rules.updated',
      entity: 'workspace',
      entityId: workspaceId,
      after: { rules },
    });
  }
}
