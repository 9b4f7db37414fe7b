/**
 * Loads generated data into a workspace fast: secondary indexes are dropped and rebuilt after
 * the load (as any bulk load does), rows go in as multi-row INSERTs of a few thousand rows
 * (`json_populate_recordset`: one parameter per batch, which PGlite and PostgreSQL both take).
 */
import { sql } from 'kysely';
import type { Database, Db, Queryable } from '../src/platform/db/database.ts';
import { copyRows, insertRows } from './copy.ts';
import { BenchGenerator, type BenchOrganization, type BenchPerson } from './generate.ts';

export interface LoadOptions {
  workspaceId: string;
  people: number;
  seed?: number;
  /** Staff users created as owners. */
  owners?: number;
  batchSize?: number;
  log?: (message: string) => void;
}

export interface LoadResult {
  people: number;
  organizations: number;
  interactions: number;
  ownerIds: string[];
  /** A sample of generated people, for realistic queries (names, emails, phones). */
  sample: BenchPerson[];
  organizationSample: BenchOrganization[];
  seconds: { generateAndInsert: number; indexes: number; analyze: number };
}

const bulkTables = ['people', 'organizations', 'interactions', 'interaction_people', 'interaction_staff'];

export async function tableExists(db: Queryable, table: string): Promise<boolean> {
  const result = await sql<{ found: boolean }>`select to_regclass(${table}) is not null as found`.execute(db);
  return result.rows[0]?.found === true;
}

/** Drops the secondary indexes of the bulk tables; returns the statements that rebuild them. */
async function dropIndexes(db: Db): Promise<string[]> {
  const result = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = any(${bulkTables})
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of result.rows) await sql`drop index ${sql.ref(index.name)}`.execute(db);
  return result.rows.map((index) => index.definition);
}

/**
 * Pauses the duplicate-detection triggers on people during the load: they queue each new person
 * for the background job `duplicates.refresh`, which would then compete with the measurements.
 * Bulk-loaded people have no duplicate candidates; people created through the API afterwards do.
 */
export async function pauseTriggers(db: Db): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select tgname as name from pg_trigger
    where tgrelid = 'people'::regclass and not tgisinternal and tgname like '%duplicates%'`.execute(db);
  for (const { name } of result.rows)
    await sql`alter table people disable trigger ${sql.ref(name)}`.execute(db);
  return result.rows.map((row) => row.name);
}

export async function resumeTriggers(db: Db, names: string[]) {
  for (const name of names) await sql`alter table people enable trigger ${sql.ref(name)}`.execute(db);
}

export async function loadBenchData(
  database: Database,
  url: string | undefined,
  options: LoadOptions,
): Promise<LoadResult> {
  const db = database.db;
  const copy = (table: string, rows: Record<string, unknown>[]) => copyRows(database, url, table, rows);
  const log = options.log ?? (() => {});
  const generator = new BenchGenerator(options.seed ?? 42);
  const batchSize = options.batchSize ?? 5000;
  const withInteractions = await tableExists(db, 'interaction_people');
  const withStaff = await tableExists(db, 'interaction_staff');
  const started = performance.now();

  const admin = await db
    .selectFrom('users')
    .select(['password_hash'])
    .where('workspace_id', '=', options.workspaceId)
    .executeTakeFirstOrThrow();
  const ownerIds: string[] = [];
  const staff = Array.from({ length: options.owners ?? 20 }, (_, index) => {
    const person = generator.person([], []);
    ownerIds.push(person.id);
    return {
      id: person.id,
      workspace_id: options.workspaceId,
      email: `staff${index + 1}@bench.rapport.test`,
      name: String(person.row.display_name),
      role: index % 5 === 0 ? 'manager' : 'agent',
      status: 'active',
      password_hash: admin.password_hash,
    };
  });
  await insertRows(db, 'users', staff);

  const rebuild = await dropIndexes(db);
  const paused = await pauseTriggers(db);
  const organizations: BenchOrganization[] = [];
  const organizationCount = Math.max(10, Math.round(options.people / 25));
  for (let index = 0; index < organizationCount; index += batchSize) {
    const batch: BenchOrganization[] = [];
    for (let i = index; i < Math.min(organizationCount, index + batchSize); i++) {
      batch.push(generator.organization(i, organizations));
      organizations.push(batch.at(-1)!);
    }
    await copy(
      'organizations',
      batch.map((org) => ({ ...org.row, workspace_id: options.workspaceId })),
    );
  }
  log(`${organizations.length} organizations`);

  const sample: BenchPerson[] = [];
  let interactionCount = 0;
  let pending: Promise<void> = Promise.resolve();
  for (let index = 0; index < options.people; index += batchSize) {
    const people: BenchPerson[] = [];
    for (let i = index; i < Math.min(options.people, index + batchSize); i++) {
      const person = generator.person(organizations, ownerIds);
      people.push(person);
      if (i % Math.max(1, Math.floor(options.people / 500)) === 0) sample.push(person);
    }
    // Generate the next batch while the database writes this one (PostgreSQL runs in parallel).
    await pending;
    pending = writePeople(copy, options.workspaceId, people, withInteractions, withStaff).then((count) => {
      interactionCount += count;
    });
    if ((index / batchSize) % 10 === 0) log(`${index + people.length} people`);
  }
  await pending;
  const inserted = performance.now();
  await resumeTriggers(db, paused);
  log(`rebuilding ${rebuild.length} indexes`);
  await db.connection().execute(async (connection) => {
    await sql`set maintenance_work_mem = '256MB'`.execute(connection);
    for (const statement of rebuild) await sql.raw(statement).execute(connection);
  });
  const indexed = performance.now();
  for (const table of bulkTables) {
    if (await tableExists(db, table)) await sql`analyze ${sql.table(table)}`.execute(db);
  }
  const analyzed = performance.now();
  return {
    people: options.people,
    organizations: organizations.length,
    interactions: interactionCount,
    ownerIds,
    sample,
    organizationSample: organizations.filter(
      (_, index) => index % Math.max(1, Math.floor(organizations.length / 200)) === 0,
    ),
    seconds: {
      generateAndInsert: Math.round((inserted - started) / 100) / 10,
      indexes: Math.round((indexed - inserted) / 100) / 10,
      analyze: Math.round((analyzed - indexed) / 100) / 10,
    },
  };
}

type Copy = (table: string, rows: Record<string, unknown>[]) => Promise<void>;

async function writePeople(
  copy: Copy,
  workspaceId: string,
  people: BenchPerson[],
  withInteractions: boolean,
  withStaff: boolean,
) {
  await copy(
    'people',
    people.map((person) => ({ ...person.row, workspace_id: workspaceId })),
  );
  if (!withInteractions) return 0;
  const interactions: Record<string, unknown>[] = [];
  const participants: Record<string, unknown>[] = [];
  const staff: Record<string, unknown>[] = [];
  for (const person of people) {
    for (const item of person.interactions) {
      const at = item.occurredAt.toISOString();
      interactions.push({
        id: item.id,
        workspace_id: workspaceId,
        type: item.type,
        channel: item.channel,
        direction: item.direction,
        occurred_at: at,
        duration_minutes: item.durationMinutes,
        summary: item.summary,
        outcome: item.outcome,
        organization_id: item.organizationId,
        created_by: item.createdBy,
        created_at: at,
        updated_at: at,
      });
      participants.push({
        workspace_id: workspaceId,
        interaction_id: item.id,
        person_id: person.id,
        occurred_at: at,
      });
      if (item.createdBy)
        staff.push({ workspace_id: workspaceId, interaction_id: item.id, user_id: item.createdBy });
    }
  }
  await copy('interactions', interactions);
  await copy('interaction_people', participants);
  if (withStaff) await copy('interaction_staff', staff);
  return interactions.length;
}
