import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import type {
  CreatePersonInput,
  FieldProblem,
  ListPeopleQuery,
  Person,
  PersonFieldsInput,
} from '../../shared/people.ts';
import { customFieldFilterMatches, validateCustomFields } from '../custom-fields/service.ts';
import { createPersonBatched } from './create-batch.ts';
import { decodeCursor, parsePersonSort, toListPage } from './keyset.ts';
import { listPageWithQuery } from './list-query-page.ts';
import { applyPersonInput, type PersonState, personColumns, unprocessable } from './normalize.ts';
import { setWriter } from './notes-history.ts';
import { restoreWindowDays, staleVersion } from './precondition.ts';
import {
  findDeletedPerson,
  findPerson,
  organizationExists,
  peopleListQuery,
  personOutput,
  stateOf,
  updatePersonRow,
  userExists,
  workspaceRegion,
} from './queries.ts';

const entity = 'person';

/** The owner and organization must belong to the caller's workspace. */
async function checkReferences(tx: Queryable, workspaceId: string, state: PersonState, before?: PersonState) {
  const problems: FieldProblem[] = [];
  if (
    state.ownerId &&
    state.ownerId !== before?.ownerId &&
    !(await userExists(tx, workspaceId, state.ownerId))
  ) {
    problems.push({ path: 'body.ownerId', message: 'is not a staff user of this workspace.' });
  }
  if (
    state.organizationId &&
    state.organizationId !== before?.organizationId &&
    !(await organizationExists(tx, workspaceId, state.organizationId))
  ) {
    problems.push({ path: 'body.organizationId', message: 'is not an organization of this workspace.' });
  }
  if (problems.length > 0) throw unprocessable(problems);
}

export async function getPerson(ctx: RequestContext, auth: Auth, id: string): Promise<Person> {
  const row = await findPerson(ctx.deps.db, auth.workspaceId, id);
  if (!row) throw notFound('The person');
  return personOutput(row);
}

export async function listPeoplePage(ctx: RequestContext, auth: Auth, query: ListPeopleQuery) {
  const sort = parsePersonSort(query.sort);
  const cursor = query.after ? decodeCursor(query.after, sort) : null;
  // One snapshot for the page's steps (list-query-page.ts), so a write in between cannot end the list early.
  const rows = await ctx.deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const customFieldMatches = query.customField?.length
        ? await customFieldFilterMatches(tx, auth.workspaceId, 'person', query.customField)
        : [];
      const filters = { ...query, customFieldMatches };
      return listPageWithQuery(tx, {
        q: query.q,
        table: 'people',
        sort,
        cursor,
        rows: query.limit + 1,
        page: (qMatch, after) =>
          peopleListQuery(
            tx,
            auth.workspaceId,
            { ...filters, q: qMatch ? query.q : undefined, qMatch },
            sort,
            after,
          ),
      });
    });
  return toListPage(rows, query.limit, sort, personOutput);
}

/** Written together with the creates arriving at the same time (group commit, create-batch.ts). */
export async function createPerson(ctx: RequestContext, auth: Auth, input: CreatePersonInput) {
  return createPersonBatched(ctx.deps.database, {
    workspaceId: auth.workspaceId,
    userId: auth.userId,
    audit: auditContext(ctx),
    input,
  });
}

export async function updatePerson(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: PersonFieldsInput,
  version: number,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    // The row lock makes a concurrent save wait, then see the new version and get its 409.
    const row = await findPerson(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The person');
    if (row.version !== version) throw staleVersion('this person', version, row.version);
    const before = personOutput(row);
    const region = await workspaceRegion(tx, auth.workspaceId);
    const current = stateOf(row);
    const state = applyPersonInput(current, input, region);
    await checkReferences(tx, auth.workspaceId, state, current);
    if (input.customFields !== undefined) {
      state.customFields = await validateCustomFields(tx, auth.workspaceId, 'person', state.customFields);
    }
    await setWriter(tx, auth.userId);
    const updated = await updatePersonRow(tx, auth.workspaceId, id, {
      ...personColumns(state),
      // Given another organization: restoring the one whose deletion detached them leaves them be.
      ...(state.organizationId && row.detached_organization_id ? { detached_organization_id: null } : {}),
      updated_at: new Date(),
    });
    const after = personOutput(updated);
    await audit(tx, auditContext(ctx), { action: 'person.updated', entity, entityId: id, before, after });
    return after;
  });
}

/** Soft delete: the person disappears from lists, search and reads, and can be restored for 30 days. */
export async function deletePerson(ctx: RequestContext, auth: Auth, id: string, version: number | undefined) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findPerson(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The person');
    if (version !== undefined && row.version !== version) {
      throw staleVersion('this person', version, row.version);
    }
    await updatePersonRow(tx, auth.workspaceId, id, { deleted_at: new Date() });
    await audit(tx, auditContext(ctx), {
      action: 'person.deleted',
      entity,
      entityId: id,
      before: personOutput(row),
    });
  });
}

export async function restorePerson(ctx: RequestContext, auth: Auth, id: string) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findDeletedPerson(tx, auth.workspaceId, id);
    if (!row) {
      if (await findPerson(tx, auth.workspaceId, id)) {
        throw new AppError('conflict', 'This person is not deleted; there is nothing to restore.');
      }
      throw notFound('The deleted person');
    }
    if (row.merged_into) {
      throw new AppError(
        'conflict',
        'This person was merged into another one; undo the merge (People → Duplicates → Recent merges) instead.',
      );
    }
    if (row.deleted_at && Date.now() - row.deleted_at.getTime() > restoreWindowDays * 86_400_000) {
      throw new AppError('gone', `This person was deleted more than ${restoreWindowDays} days ago.`);
    }
    const restored = await updatePersonRow(tx, auth.workspaceId, id, {
      deleted_at: null,
      updated_at: new Date(),
    });
    const after = personOutput(restored);
    await audit(tx, auditContext(ctx), { action: 'person.restored', entity, entityId: id, after });
    return after;
  });
}
