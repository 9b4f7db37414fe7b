import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { checkCursor } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import type { FieldProblem } from '../../shared/people.ts';
import {
  builtInKeys,
  builtInRelationshipTypes,
  type CreateRelationshipInput,
  type CreateRelationshipTypeInput,
  keyFromLabel,
  type ListRelationshipsQuery,
  type RelationshipTypeInfo,
} from '../../shared/relationships.ts';
import { unprocessable } from '../people/normalize.ts';
import { influenceMapOf } from './influence.ts';
import { findRelationships, findTypeRow, linkExists, listTypes, partyExists, typeOutput } from './queries.ts';

async function typeInfo(
  tx: Queryable,
  workspaceId: string,
  key: string,
): Promise<RelationshipTypeInfo | null> {
  const builtIn = builtInRelationshipTypes.find((type) => type.key === key);
  if (builtIn) return builtIn;
  const row = await findTypeRow(tx, workspaceId, key);
  return row ? { key: row.key, label: row.label, inverseLabel: row.inverse_label, symmetric: false } : null;
}

const partyWord = { person: 'a person', organization: 'an organization' } as const;

export async function listRelationshipsPage(ctx: RequestContext, auth: Auth, query: ListRelationshipsQuery) {
  if (query.personId && query.organizationId) {
    const message = 'give personId or organizationId, not both.';
    throw new AppError('validation_failed', `query.organizationId: ${message}`, {
      errors: [{ path: 'query.organizationId', message }],
    });
  }
  const beforeId = checkCursor(query.after);
  let party: { type: 'person' | 'organization'; id: string } | undefined;
  if (query.personId) party = { type: 'person', id: query.personId };
  if (query.organizationId) party = { type: 'organization', id: query.organizationId };
  if (party && !(await partyExists(ctx.deps.db, auth.workspaceId, party.type, party.id))) {
    throw notFound(party.type === 'person' ? 'The person' : 'The organization');
  }
  const rows = await findRelationships(ctx.deps.db, auth.workspaceId, {
    ...(party ? { party } : {}),
    type: query.type,
    beforeId,
    limit: query.limit + 1,
  });
  const hasMore = rows.length > query.limit;
  const data = hasMore ? rows.slice(0, query.limit) : rows;
  return { data, next: hasMore ? data.at(-1)!.id : null };
}

export async function createRelationship(ctx: RequestContext, auth: Auth, input: CreateRelationshipInput) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const problems: FieldProblem[] = [];
    const info = await typeInfo(tx, auth.workspaceId, input.type);
    if (!info) {
      problems.push({
        path: 'body.type',
        message: 'is not a relationship type of this workspace; see GET /api/v1/relationship-types.',
      });
    }
    if (input.from.type === input.to.type && input.from.id === input.to.id) {
      problems.push({
        path: 'body.to',
        message: 'must be another party than body.from: a link needs two ends.',
      });
    }
    for (const side of ['from', 'to'] as const) {
      const end = input[side];
      const allowed = info?.[side];
      if (allowed && !allowed.includes(end.type)) {
        problems.push({
          path: `body.${side}.type`,
          message: `must be ${allowed.map((type) => partyWord[type]).join(' or ')} for "${info.key}".`,
        });
      } else if (!(await partyExists(tx, auth.workspaceId, end.type, end.id))) {
        problems.push({
          path: `body.${side}.id`,
          message: `is not ${partyWord[end.type]} of this workspace.`,
        });
      }
    }
    if (problems.length > 0) throw unprocessable(problems);
    if (await linkExists(tx, auth.workspaceId, input, info!.symmetric)) {
      throw new AppError('conflict', `These two are already linked as "${input.type}".`);
    }
    const id = newId();
    const inserted = await tx
      .insertInto('relationships')
      .values({
        id,
        workspace_id: auth.workspaceId,
        from_type: input.from.type,
        from_id: input.from.id,
        to_type: input.to.type,
        to_id: input.to.id,
        type: input.type,
        note: input.note || null,
        created_by: auth.userId,
      })
      .onConflict((conflict) => conflict.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new AppError('conflict', `These two are already linked as "${input.type}".`);
    const [created] = await findRelationships(tx, auth.workspaceId, { id });
    await audit(tx, auditContext(ctx), {
      action: 'relationship.created',
      entity: 'relationship',
      entityId: id,
      after: created,
    });
    return created!;
  });
}

export async function deleteRelationship(ctx: RequestContext, auth: Auth, id: string) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const [before] = await findRelationships(tx, auth.workspaceId, { id });
    const deleted = await tx
      .deleteFrom('relationships')
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!deleted) throw notFound('The relationship');
    await audit(tx, auditContext(ctx), {
      action: 'relationship.deleted',
      entity: 'relationship',
      entityId: id,
      before,
    });
  });
}

export async function getInfluenceMap(ctx: RequestContext, auth: Auth, personId: string) {
  const map = await influenceMapOf(ctx.deps.db, auth.workspaceId, personId);
  if (!map) throw notFound('The person');
  return map;
}

export async function listRelationshipTypes(ctx: RequestContext, auth: Auth) {
  return { data: await listTypes(ctx.deps.db, auth.workspaceId) };
}

export async function createRelationshipType(
  ctx: RequestContext,
  auth: Auth,
  input: CreateRelationshipTypeInput,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const key = input.key ?? keyFromLabel(input.label);
    if (builtInKeys.has(key) || (await findTypeRow(tx, auth.workspaceId, key))) {
      throw new AppError(
        'conflict',
        `A relationship type "${key}" already exists; choose another key or label.`,
      );
    }
    const row = await tx
      .insertInto('relationship_types')
      .values({
        id: newId(),
        workspace_id: auth.workspaceId,
        key,
        label: input.label,
        inverse_label: input.inverseLabel ?? null,
      })
      .onConflict((conflict) => conflict.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('conflict', `A relationship type "${key}" already exists.`);
    const created = typeOutput(row);
    await audit(tx, auditContext(ctx), {
      action: 'relationship_type.created',
      entity: 'relationship_type',
      entityId: row.id,
      after: created,
    });
    return created;
  });
}

/** Refused while links use the type: removing them silently would lose data. */
export async function deleteRelationshipType(ctx: RequestContext, auth: Auth, id: string) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('relationship_types')
      .selectAll()
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('The relationship type');
    const used = await tx
      .selectFrom('relationships')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('workspace_id', '=', auth.workspaceId)
      .where('type', '=', row.key)
      .executeTakeFirstOrThrow();
    if (Number(used.count) > 0) {
      throw new AppError(
        'conflict',
        `${used.count} relationship(s) use "${row.label}"; remove them before deleting the type.`,
      );
    }
    await tx.deleteFrom('relationship_types').where('id', '=', id).execute();
    await audit(tx, auditContext(ctx), {
      action: 'relationship_type.deleted',
      entity: 'relationship_type',
      entityId: id,
      before: typeOutput(row),
    });
  });
}
