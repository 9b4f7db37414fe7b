import { type AuditContext, auditMany } from '../../platform/audit.ts';
import type { Database, Db, Tx } from '../../platform/db/database.ts';
import { type BatchResult, settle, WriteBatcher } from '../../platform/db/write-batcher.ts';
import { newId } from '../../platform/ids.ts';
import type { CreatePersonInput, FieldProblem, Person } from '../../shared/people.ts';
import { validateCustomFields } from '../custom-fields/service.ts';
import {
  applyPersonInput,
  emptyPersonState,
  type PersonState,
  personColumns,
  unprocessable,
} from './normalize.ts';
import { setWriter } from './notes-history.ts';
import { existingReferences, insertPeople, personOutput, workspaceRegion } from './queries.ts';

export interface NewPerson {
  workspaceId: string;
  userId: string;
  audit: AuditContext;
  input: CreatePersonInput;
}

/** The owner and organization must belong to the workspace (checked for the whole batch at once). */
function checkReferences(state: PersonState, existing: Set<string>) {
  const problems: FieldProblem[] = [];
  if (state.ownerId && !existing.has(state.ownerId))
    problems.push({ path: 'body.ownerId', message: 'is not a staff user of this workspace.' });
  if (state.organizationId && !existing.has(state.organizationId))
    problems.push({ path: 'body.organizationId', message: 'is not an organization of this workspace.' });
  if (problems.length > 0) throw unprocessable(problems);
}

/**
 * Creates the people of one workspace and one writer in the transaction: the region is read once,
 * the references checked in one query, the rows and their audit entries written in one statement
 * each. An input that fails its checks gets its own error and is not written.
 */
export async function writePeople(tx: Tx, people: NewPerson[]): Promise<BatchResult<Person>[]> {
  const first = people[0]!;
  const region = await workspaceRegion(tx, first.workspaceId);
  const states = settle(people, (person) => applyPersonInput(emptyPersonState(), person.input, region));
  const ok = (result: BatchResult<PersonState>): result is { ok: true; value: PersonState } => result.ok;
  const live = states.filter(ok).map((result) => result.value);
  const existing = await existingReferences(
    tx,
    first.workspaceId,
    [...new Set(live.flatMap((state) => (state.ownerId ? [state.ownerId] : [])))],
    [...new Set(live.flatMap((state) => (state.organizationId ? [state.organizationId] : [])))],
  );
  const checked: BatchResult<PersonState>[] = [];
  for (const [index, result] of states.entries()) {
    if (!result.ok) {
      checked.push(result);
      continue;
    }
    try {
      const state = result.value;
      checkReferences(state, existing);
      state.customFields = await validateCustomFields(
        tx,
        people[index]!.workspaceId,
        'person',
        state.customFields,
      );
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
  await setWriter(tx, first.userId);
  const inserted = new Map((await insertPeople(tx, values)).map((row) => [row.id, personOutput(row)]));
  const outputs = rows.map((row) => (row ? inserted.get(row.id)! : null));
  await auditMany(
    tx,
    outputs.flatMap((created, index) =>
      created
        ? [
            {
              context: people[index]!.audit,
              entry: { action: 'person.created', entity: 'person', entityId: created.id, after: created },
            },
          ]
        : [],
    ),
  );
  return checked.map((result, index) =>
    result.ok ? { ok: true, value: outputs[index]! } : (result as BatchResult<Person>),
  );
}

const batchers = new WeakMap<Db, WriteBatcher<NewPerson, Person>>();

/** Creates one person, written together with the others arriving at the same time (group commit). */
export function createPersonBatched(database: Database, person: NewPerson): Promise<Person> {
  let batcher = batchers.get(database.db);
  if (!batcher) {
    batcher = new WriteBatcher(database.db, {
      writeBatch: writePeople,
      maxInFlight: database.kind === 'postgres' ? 4 : 1,
    });
    batchers.set(database.db, batcher);
  }
  return batcher.submit(`${person.workspaceId}:${person.userId}`, person);
}
