import { sql } from 'kysely';
import type { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { isCursorText } from '../../platform/http/pagination.ts';
import { newId } from '../../platform/ids.ts';
import type { Category, categoryInput, ObservationTemplateField } from '../../shared/listening.ts';
import type { FieldProblem } from '../../shared/people.ts';
import { unprocessable } from '../people/normalize.ts';
import { staleVersion } from '../people/precondition.ts';

type CategoryInput = z.output<typeof categoryInput>;
interface CategoryRow {
  id: string;
  name: string;
  observation_template: unknown;
  version: number;
}

const entity = 'item_category';

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    name: row.name,
    observationTemplate: row.observation_template as ObservationTemplateField[],
    version: row.version,
  };
}

/** Template fields must be unambiguous: one field per key, choices exactly for choice fields. */
export function checkTemplate(fields: readonly ObservationTemplateField[]): ObservationTemplateField[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    const path = `body.observationTemplate.${index}`;
    if (seen.has(field.key)) {
      problems.push({ path: `${path}.key`, message: `"${field.key}" is already a field of this template.` });
    }
    seen.add(field.key);
    const choices = field.choices ?? [];
    if (field.type === 'choice' && choices.length === 0) {
      problems.push({ path: `${path}.choices`, message: 'a choice field needs at least one choice.' });
    }
    if (field.type !== 'choice' && choices.length > 0) {
      problems.push({
        path: `${path}.choices`,
        message: `only choice fields have choices (this one is ${field.type}).`,
      });
    }
    const lowered = choices.map((choice) => choice.toLowerCase());
    const repeated = lowered.find((choice, at) => lowered.indexOf(choice) !== at);
    if (repeated !== undefined) {
      problems.push({ path: `${path}.choices`, message: `"${repeated}" is listed twice.` });
    }
  });
  if (problems.length > 0) throw unprocessable(problems);
  return fields.map((field) =>
    field.type === 'choice' ? field : { key: field.key, label: field.label, type: field.type },
  );
}

const duplicateName = (name: string) =>
  new AppError('conflict', `A category named "${name}" already exists; choose another name.`);

function rethrowDuplicate(name: string) {
  return (error: { code?: string }) => {
    // Two categories with the same name saved at once: the unique index refuses the second.
    throw error.code === '23505' ? duplicateName(name) : error;
  };
}

const columns = ['id', 'name', 'observation_template', 'version'] as const;

export async function listCategories(
  ctx: RequestContext,
  auth: Auth,
  query: { after?: string; limit: number },
) {
  let builder = ctx.deps.db
    .selectFrom('item_categories')
    .select(columns)
    .where('workspace_id', '=', auth.workspaceId)
    .orderBy((eb) => eb.fn('lower', ['name']))
    .limit(query.limit + 1);
  if (query.after) {
    const after = decodeNameCursor(query.after);
    builder = builder.where((eb) => eb(eb.fn('lower', ['name']), '>', after));
  }
  const rows = await builder.execute();
  const pageRows = rows.slice(0, query.limit);
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(toCategory),
    next:
      rows.length > query.limit && last ? Buffer.from(last.name.toLowerCase()).toString('base64url') : null,
  };
}

function decodeNameCursor(after: string): string {
  const name = Buffer.from(after, 'base64url').toString('utf8');
  if (!name || name.length > 100 || !isCursorText(name)) {
    const message = 'must be the `next` value of a previous page of this list.';
    throw new AppError('validation_failed', `query.after: ${message}`, {
      errors: [{ path: 'query.after', message }],
    });
  }
  return name;
}

function lockCategory(tx: Queryable, workspaceId: string, id: string) {
  return tx
    .selectFrom('item_categories')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function getCategory(ctx: RequestContext, auth: Auth, id: string) {
  const row = await ctx.deps.db
    .selectFrom('item_categories')
    .select(columns)
    .where('workspace_id', '=', auth.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('The category');
  return toCategory(row);
}

export async function createCategory(ctx: RequestContext, auth: Auth, input: CategoryInput) {
  const template = checkTemplate(input.observationTemplate);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const now = nowOf(ctx.deps);
    const row = await tx
      .insertInto('item_categories')
      .values({
        id: newId(),
        workspace_id: auth.workspaceId,
        name: input.name,
        observation_template: JSON.stringify(template),
        created_at: now,
        updated_at: now,
      })
      .returning(columns)
      .executeTakeFirstOrThrow()
      .catch(rethrowDuplicate(input.name));
    const created = toCategory(row);
    await audit(tx, auditContext(ctx), {
      action: 'item_category.created',
      entity,
      entityId: row.id,
      after: created,
    });
    return created;
  });
}

export async function updateCategory(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: Partial<CategoryInput>,
  version: number,
) {
  const template = input.observationTemplate ? checkTemplate(input.observationTemplate) : undefined;
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await lockCategory(tx, auth.workspaceId, id);
    if (!before) throw notFound('The category');
    if (before.version !== version) throw staleVersion('the category', version, before.version);
    const row = await tx
      .updateTable('item_categories')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(template ? { observation_template: JSON.stringify(template) } : {}),
        version: before.version + 1,
        updated_at: nowOf(ctx.deps),
      })
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow()
      .catch(rethrowDuplicate(input.name ?? before.name));
    const updated = toCategory(row);
    await audit(tx, auditContext(ctx), {
      action: 'item_category.updated',
      entity,
      entityId: id,
      before: toCategory(before),
      after: updated,
    });
    return updated;
  });
}

/**
 * Deletes a category. Its items keep their observations and lose the category (the foreign key
 * sets it null); each of them records a 'category_removed' event.
 */
export async function deleteCategory(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  version: number | undefined,
) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const before = await lockCategory(tx, auth.workspaceId, id);
    if (!before) throw notFound('The category');
    if (version !== undefined && before.version !== version) {
      throw staleVersion('the category', version, before.version);
    }
    const actor = auditContext(ctx).actor;
    await sql`
      insert into item_events (id, workspace_id, item_id, type, actor_type, actor_id, data, created_at)
      select gen_random_uuid(), i.workspace_id, i.id, 'category_removed', ${actor.type}, ${actor.userId},
        ${JSON.stringify({ categoryId: id, name: before.name })}::jsonb, ${nowOf(ctx.deps)}
      from items i where i.workspace_id = ${auth.workspaceId} and i.category_id = ${id}`.execute(tx);
    await tx
      .deleteFrom('item_categories')
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', id)
      .execute();
    await audit(tx, auditContext(ctx), {
      action: 'item_category.deleted',
      entity,
      entityId: id,
      before: toCategory(before),
    });
  });
}
