import { sql } from 'kysely';
import { type AuditContext, auditMany } from '../../platform/audit.ts';
import type { Database, Db, Tx } from '../../platform/db/database.ts';
import { type BatchResult, WriteBatcher } from '../../platform/db/write-batcher.ts';
import { WriteSet } from '../../platform/db/write-set.ts';
import { newId } from '../../platform/ids.ts';
import type { CreatePersonInput, FieldProblem, Person } from '../../shared/people.ts';
import { validateCustomFields } from '../custom-fields/service.ts';
import {
  applyPersonInput,
  emptyPersonState,
  type PersonColumns,
  type PersonState,
  personColumns,
  unprocessable,
} from './normalize.ts';
import { insertPeople, type PersonRowWithBirthday, personOutput } from './queries.ts';

export interface NewPerson {
  workspaceId: string;
  userId: string;
  audit: AuditContext;
  input: CreatePersonInput;
}

/** The users and organizations of the workspace among those a batch names. */
interface ExistingReferences {
  owners: Set<string>;
  organizations: Set<string>;
}

/** The owner and organization must belong to the workspace (checked for the whole batch at once). */
function checkReferences(state: PersonState, existing: ExistingReferences) {
  const problems: FieldProblem[] = [];
  if (state.ownerId && !existing.owners.has(state.ownerId))
    problems.push({ path: 'body.ownerId', message: 'is not a staff user of this workspace.' });
  if (state.organizationId && !existing.organizations.has(state.organizationId))
    problems.push({ path: 'body.organizationId', message: 'is not an organization of this workspace.' });
  if (problems.length > 0) throw unprocessable(problems);
}

/** What a batch reads, in one round trip that also names the writer (setWriter) for the notes history. */
async function batchStart(tx: Tx, first: NewPerson, people: NewPerson[]) {
  const distinct = (pick: (input: CreatePersonInput) => string | null | undefined) => [
    ...new Set(people.flatMap((person) => pick(person.input) ?? [])),
  ];
  const result = await sql<{
    region: string | null;
    now: Date;
    owners: string[];
    organizations: string[];
  }>`select
    (select default_region from workspaces where id = ${first.workspaceId}) as region,
    now() as now,
    set_config('rapport.user_id', ${first.userId}, true) as writer,
    array(select id::text from users where workspace_id = ${first.workspaceId}
        and id = any(${distinct((input) => input.ownerId)}::uuid[])) as owners,
    array(select id::text from organizations where workspace_id = ${first.workspaceId}
        and id = any(${distinct((input) => input.organizationId)}::uuid[]) and deleted_at is null) as organizations`.execute(
    tx,
  );
  const row = result.rows[0]!;
  const existing: ExistingReferences = {
    owners: new Set(row.owners),
    organizations: new Set(row.organizations),
  };
  return { region: row.region ?? 'US', now: row.now, existing };
}

/**
 * A new person's row as the database holds it after the insert (defaults included, jsonb as
 * parsed JSON, `now` the transaction's time), so that its output needs no read back.
 */
function insertedRow(
  id: string,
  workspaceId: string,
  columns: PersonColumns,
  now: Date,
): PersonRowWithBirthday {
  const timestamp = (value: string | null) => (value === null ? null : new Date(value));
  return {
    id,
    workspace_id: workspaceId,
    ...columns,
    birthday_text: columns.birthday,
    emails: JSON.parse(columns.emails),
    phones: JSON.parse(columns.phones),
    addresses: JSON.parse(columns.addresses),
    websites: JSON.parse(columns.websites),
    social: JSON.parse(columns.social),
    important_dates: JSON.parse(columns.important_dates),
    custom_fields: JSON.parse(columns.custom_fields),
    last_contacted_at: timestamp(columns.last_contacted_at),
    next_follow_up_at: timestamp(columns.next_follow_up_at),
    version: 1,
    created_at: now,
    updated_at: now,
    deleted_at: null,
    merged_into: null,
    photo_version: null,
  } as PersonRowWithBirthday;
}

/**
 * A time with more than millisecond precision is rounded by the database to microseconds, which
 * JavaScript cannot reproduce exactly: such a person is read back from the insert instead.
 */
const finerThanMilliseconds = /\.\d{4,}/;
function needsReadBack(columns: PersonColumns) {
  return [columns.last_contacted_at, columns.next_follow_up_at].some(
    (value) => value !== null && finerThanMilliseconds.test(value),
  );
}

/**
 * Creates the people of one workspace and one writer in the transaction, in two statements: one
 * read (region, references, the transaction's time; names the writer) and one write (the rows and
 * their audit entries, as one statement of CTEs). The output is built from what was written. An
 * input that fails its checks gets its own error and is not written.
 */
export async function writePeople(tx: Tx, people: NewPerson[]): Promise<BatchResult<Person>[]> {
  const first = people[0]!;
  const { region, now, existing } = await batchStart(tx, first, people);
  const checked: BatchResult<PersonState>[] = [];
  for (const person of people) {
    try {
      const state = applyPersonInput(emptyPersonState(), person.input, region);
      checkReferences(state, existing);
      state.customFields = await validateCustomFields(tx, person.workspaceId, 'person', state.customFields);
      checked.push({ ok: true, value: state });
    } catch (error) {
      checked.push({ ok: false, error });
    }
  }
  const rows = checked.map((result, index) =>
    result.ok
      ? { id: newId(), workspace_id: people[index]!.workspaceId, ...personColumns(result.value) }
      : null,
  );
  const values = rows.filter((row) => row !== null);
  if (values.length === 0) return checked as BatchResult<Person>[];
  const readBack = values.some(needsReadBack);
  const outputs = readBack
    ? new Map((await insertPeople(tx, values)).map((row) => [row.id, personOutput(row)]))
    : new Map(
        values.map(({ id, workspace_id, ...columns }) => [
          id,
          personOutput(insertedRow(id, workspace_id, columns, now)),
        ]),
      );
  const writes = new WriteSet();
  if (!readBack) writes.add(tx.insertInto('people').values(values).compile());
  await auditMany(
    writes.db,
    rows.flatMap((row, index) =>
      row
        ? [
            {
              context: people[index]!.audit,
              entry: {
                action: 'person.created',
                entity: 'person',
                entityId: row.id,
                after: outputs.get(row.id),
              },
            },
          ]
        : [],
    ),
  );
  await writes.run(tx);
  return checked.map((result, index) =>
    result.ok ? { ok: true, value: outputs.get(rows[index]!.id)! } : (result as BatchResult<Person>),
  );
}

const batchers = new WeakMap<Db, WriteBatcher<NewPerson, Person>>();

/** Creates one person, written together with the others arriving at the same time (group commit). */
export function createPersonBatched(database: Database, person: NewPerson): Promise<Person> {
  let batcher = batchers.get(database.db);
  if (!batcher) {
    batcher = new WriteBatcher(database.db, {
      writeBatch: writePeople,
      // Two batches overlap (one in the database while the next is prepared); more would only
      // make smaller batches, and each statement costs a round trip per batch, not per create.
      maxInFlight: database.kind === 'postgres' ? 2 : 1,
    });
    batchers.set(database.db, batcher);
  }
  return batcher.submit(`${person.workspaceId}:${person.userId}`, person);
}
