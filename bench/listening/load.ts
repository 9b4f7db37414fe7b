/**
 * Loads a listening register into the bench workspace fast: teams, categories, SLA policies, a
 * problem, then generated items with their events, messages and observations by COPY, with the
 * secondary indexes of those tables dropped during the load and rebuilt after it.
 */
import { sql } from 'kysely';
import { plannedCategories } from '../../src/cli/listening-categories.ts';
import { plannedSla, type Staff } from '../../src/cli/listening-lifecycle.ts';
import type { Database, Db } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { itemKinds, priorities } from '../../src/shared/listening.ts';
import { copyRows, insertRows } from '../copy.ts';
import { ItemGenerator } from './generate.ts';

export const listeningTables = ['items', 'item_events', 'item_messages', 'item_observations'];

export interface ListeningLoadOptions {
  workspaceId: string;
  /** The bench admin: owns a share of the items (the "mine" queue) and is in a team. */
  adminId: string;
  items: number;
  stallChance?: number;
  linkedShare?: number;
  historyEvery?: number;
  batchSize?: number;
  log?: (message: string) => void;
}

export interface ListeningLoad {
  items: number;
  events: number;
  messages: number;
  observations: number;
  openItems: number;
  problemId: string;
  billingProblemId: string;
  carCategoryId: string | null;
  ownerIds: string[];
  personIds: string[];
  seconds: { generateAndInsert: number; indexes: number; analyze: number };
}

async function dropIndexes(db: Db): Promise<string[]> {
  const result = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = any(${listeningTables})
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of result.rows) await sql`drop index ${sql.ref(index.name)}`.execute(db);
  return result.rows.map((index) => index.definition);
}

/** Teams, the ladder, categories, SLA policies and the problem; returns what items refer to. */
async function setUpWorkspace(db: Db, options: ListeningLoadOptions) {
  const { workspaceId } = options;
  const staffRows = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .orderBy('email')
    .execute();
  const teams = ['Care North', 'Care South', 'Billing desk', 'Product'].map((name) => ({
    id: newId(),
    workspace_id: workspaceId,
    name,
  }));
  await insertRows(db, 'teams', teams);
  const agents: Staff[] = staffRows.map((user, index) => ({
    id: user.id,
    teamId: user.id === options.adminId ? teams[0]!.id : teams[index % teams.length]!.id,
  }));
  for (const agent of agents)
    await db.updateTable('users').set({ team_id: agent.teamId }).where('id', '=', agent.id).execute();
  const lead = agents.find((agent) => agent.id !== options.adminId)!;
  await db.updateTable('users').set({ ladder_level: 'lead' }).where('id', '=', lead.id).execute();
  const categories = new Map<string, string>();
  const categoryRows = plannedCategories.map((category) => {
    const id = newId();
    categories.set(category.name, id);
    return { id, workspace_id: workspaceId, name: category.name, observation_template: category.template };
  });
  await insertRows(db, 'item_categories', categoryRows);
  await insertRows(
    db,
    'sla_policies',
    itemKinds.flatMap((kind) =>
      priorities.map((priority) => ({
        workspace_id: workspaceId,
        kind,
        priority,
        first_response_minutes: plannedSla[priority][0],
        resolution_minutes: plannedSla[priority][1],
      })),
    ),
  );
  const problemId = newId();
  const billingProblemId = newId();
  await insertRows(db, 'problems', [
    {
      id: billingProblemId,
      workspace_id: workspaceId,
      title: 'Direct-debit invoices show the wrong VAT',
      hypothesis: '',
      owner_id: lead.id,
      status: 'investigating',
    },
    {
      id: problemId,
      workspace_id: workspaceId,
      title: 'Cars do not start after a stop for ice cream',
      hypothesis: 'Something about the flavour bought.',
      owner_id: lead.id,
      status: 'investigating',
    },
  ]);
  return { agents, lead, categories, problemId, billingProblemId };
}

export async function loadListening(
  database: Database,
  url: string | undefined,
  options: ListeningLoadOptions,
): Promise<ListeningLoad> {
  const db = database.db;
  const log = options.log ?? (() => {});
  const started = performance.now();
  const { agents, lead, categories, problemId, billingProblemId } = await setUpWorkspace(db, options);
  const people = await sql<{ id: string; email: string | null }>`
    select id, emails->0->>'value' as email from people
    where workspace_id = ${options.workspaceId} and deleted_at is null limit 200000`.execute(db);
  const generator = new ItemGenerator(
    {
      workspaceId: options.workspaceId,
      now: Date.now(),
      people: people.rows,
      agents,
      lead,
      categories,
      problemId,
      billingProblemId,
      linkedShare: options.linkedShare ?? 0.02,
      stallChance: options.stallChance ?? 0.25,
      historyEvery: options.historyEvery ?? 1,
    },
    options.items,
  );
  const rebuild = await dropIndexes(db);
  const copy = (table: string, rows: Record<string, unknown>[]) => copyRows(database, url, table, rows);
  const counts = { items: 0, events: 0, messages: 0, observations: 0 };
  const batchSize = options.batchSize ?? 5000;
  let pending: Promise<void> = Promise.resolve();
  while (!generator.done) {
    const batch = generator.batch(batchSize);
    // Generate the next batch while the database writes this one.
    await pending;
    pending = (async () => {
      await copy('items', batch.items);
      await Promise.all([
        copy('item_events', batch.events),
        copy('item_messages', batch.messages),
        copy('item_observations', batch.observations),
      ]);
    })();
    counts.items += batch.items.length;
    counts.events += batch.events.length;
    counts.messages += batch.messages.length;
    counts.observations += batch.observations.length;
    if ((counts.items / batchSize) % 10 === 0) log(`${counts.items} items`);
  }
  await pending;
  const inserted = performance.now();
  log(`rebuilding ${rebuild.length} indexes`);
  await db.connection().execute(async (connection) => {
    await sql`set maintenance_work_mem = '256MB'`.execute(connection);
    for (const statement of rebuild) await sql.raw(statement).execute(connection);
  });
  const indexed = performance.now();
  for (const table of listeningTables) await sql`analyze ${sql.table(table)}`.execute(db);
  const analyzed = performance.now();
  const open = await sql<{ n: number }>`select count(*)::int as n from items
    where workspace_id = ${options.workspaceId} and status not in ('resolved', 'closed')`.execute(db);
  const sample = await sql<{ person_id: string }>`select person_id from items
    where workspace_id = ${options.workspaceId} and person_id is not null limit 200`.execute(db);
  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  return {
    ...counts,
    openItems: open.rows[0]!.n,
    problemId,
    billingProblemId,
    carCategoryId: categories.get("Car won't start") ?? null,
    ownerIds: agents.map((agent) => agent.id),
    personIds: sample.rows.map((row) => row.person_id),
    seconds: {
      generateAndInsert: seconds(inserted - started),
      indexes: seconds(indexed - inserted),
      analyze: seconds(analyzed - indexed),
    },
  };
}
