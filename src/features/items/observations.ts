import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import type {
  AddObservationInput,
  Observation,
  ObservationTemplateField,
  ObservationType,
} from '../../shared/listening.ts';
import type { FieldProblem } from '../../shared/people.ts';
import { unprocessable } from '../people/normalize.ts';
import { recordItemEvent } from './events.ts';

type ObservationValue = string | number | boolean;

/** A checked observation: its typed value and the canonical text the compare panel groups by. */
export interface CheckedObservation {
  key: string;
  type: ObservationType;
  value: ObservationValue;
  valueKey: string;
}

// Date, or date and time with a zone: a time without a zone would be read differently by each server.
const isoDateTime = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/** Date.parse rolls 2024-02-31 over to March; refuse days the month does not have. */
function realCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

function inferType(value: ObservationValue): ObservationType {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'text';
}

/**
 * Checks one observation against its type: the explicit one, else the category template's type
 * for the key, else one inferred from the value. Returns the problem message when it is refused.
 */
export function checkObservation(
  input: AddObservationInput,
  template: readonly ObservationTemplateField[],
): { ok: CheckedObservation } | { problem: { field: 'value' | 'type'; message: string } } {
  const field = template.find((candidate) => candidate.key === input.key);
  if (input.type && field && input.type !== field.type) {
    return {
      problem: {
        field: 'type',
        message: `the category's template records "${input.key}" as ${field.type}; send type ${field.type} or leave type out.`,
      },
    };
  }
  const type = input.type ?? field?.type ?? inferType(input.value);
  const { value } = input;
  const refuse = (message: string) => ({ problem: { field: 'value' as const, message } });
  switch (type) {
    case 'number': {
      const number =
        typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
      if (
        typeof value === 'boolean' ||
        !Number.isFinite(number) ||
        (typeof value === 'string' && !value.trim())
      ) {
        return refuse('must be a number such as 12 or 3.5.');
      }
      return { ok: { key: input.key, type, value: number, valueKey: String(number) } };
    }
    case 'boolean': {
      const text = typeof value === 'string' ? value.trim().toLowerCase() : null;
      const flag =
        typeof value === 'boolean' ? value : text === 'true' ? true : text === 'false' ? false : null;
      if (flag === null) return refuse('must be true or false.');
      return { ok: { key: input.key, type, value: flag, valueKey: String(flag) } };
    }
    case 'datetime': {
      const text = typeof value === 'string' ? value.trim() : '';
      const time = isoDateTime.test(text) && realCalendarDate(text) ? new Date(text.replace(' ', 'T')) : null;
      if (!time || Number.isNaN(time.getTime())) {
        return refuse('must be an ISO 8601 date or date-time with a zone, such as 2024-05-01T14:30:00Z.');
      }
      const iso = time.toISOString();
      return { ok: { key: input.key, type, value: iso, valueKey: iso } };
    }
    case 'choice': {
      const choices = field?.choices ?? [];
      if (choices.length === 0) {
        return refuse(
          `"${input.key}" has no choices in the category's template; record it as text or add the choices to the category.`,
        );
      }
      const text = String(value).trim().toLowerCase();
      const choice = choices.find((candidate) => candidate.toLowerCase() === text);
      if (!choice) return refuse(`must be one of: ${choices.join(', ')}.`);
      return { ok: { key: input.key, type, value: choice, valueKey: choice.toLowerCase() } };
    }
    case 'text': {
      const text = String(value).trim();
      if (!text) return refuse('must not be empty.');
      return { ok: { key: input.key, type, value: text, valueKey: text.toLowerCase() } };
    }
  }
}

/** The observation template of a category (empty without a category). */
export async function categoryTemplate(
  db: Queryable,
  workspaceId: string,
  categoryId: string | null,
): Promise<ObservationTemplateField[]> {
  if (!categoryId) return [];
  const row = await db
    .selectFrom('item_categories')
    .select('observation_template')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', categoryId)
    .executeTakeFirst();
  return (row?.observation_template as ObservationTemplateField[] | undefined) ?? [];
}

export interface NewObservations {
  workspaceId: string;
  itemId: string;
  categoryId: string | null;
  inputs: readonly AddObservationInput[];
  authorUserId: string | null;
  /** Where each refused field is reported; default body.observations.<index>.<field>. */
  pathFor?: (index: number, field: 'value' | 'type') => string;
  at?: Date;
}

/**
 * Validates and stores observations of an item (all or none: any refused value → 422 naming its
 * path). Returns the observations in input order; isNew is false for a value the item already
 * had recorded under that key (it is not stored twice).
 */
export async function insertObservations(
  tx: Queryable,
  input: NewObservations,
): Promise<(Observation & { isNew: boolean })[]> {
  if (input.inputs.length === 0) return [];
  const template = await categoryTemplate(tx, input.workspaceId, input.categoryId);
  const pathFor = input.pathFor ?? ((index, field) => `body.observations.${index}.${field}`);
  const problems: FieldProblem[] = [];
  const checked: CheckedObservation[] = [];
  input.inputs.forEach((observation, index) => {
    const result = checkObservation(observation, template);
    if ('problem' in result) {
      problems.push({ path: pathFor(index, result.problem.field), message: result.problem.message });
    } else checked.push(result.ok);
  });
  if (problems.length > 0) throw unprocessable(problems);
  const createdAt = input.at ?? new Date();
  // The same value recorded twice for an item is one fact: the earlier observation stands (and
  // the compare panel can count observations as items).
  const sameFact = (observation: { key: string; valueKey: string }) =>
    `${observation.key}\u0000${observation.valueKey}`;
  const existing = await tx
    .selectFrom('item_observations')
    .select(['id', 'key', 'value_type', 'value', 'value_key', 'author_user_id', 'created_at'])
    .where('workspace_id', '=', input.workspaceId)
    .where('item_id', '=', input.itemId)
    .where(
      'key',
      'in',
      checked.map((observation) => observation.key),
    )
    .execute();
  const recorded = new Map<string, Observation & { isNew: boolean }>();
  for (const row of existing) {
    recorded.set(sameFact({ key: row.key, valueKey: row.value_key }), {
      id: row.id,
      key: row.key,
      type: row.value_type,
      value: row.value as ObservationValue,
      authorId: row.author_user_id,
      createdAt: row.created_at.toISOString(),
      isNew: false,
    });
  }
  const rows = [];
  for (const observation of checked) {
    if (recorded.has(sameFact(observation))) continue;
    const row = {
      id: newId(),
      workspace_id: input.workspaceId,
      item_id: input.itemId,
      key: observation.key,
      value_type: observation.type,
      value: JSON.stringify(observation.value),
      value_key: observation.valueKey,
      author_user_id: input.authorUserId,
      created_at: createdAt,
    };
    rows.push(row);
    recorded.set(sameFact(observation), {
      id: row.id,
      key: row.key,
      type: row.value_type,
      value: observation.value,
      authorId: row.author_user_id,
      createdAt: createdAt.toISOString(),
      isNew: true,
    });
  }
  if (rows.length > 0) await tx.insertInto('item_observations').values(rows).execute();
  return checked.map((observation) => recorded.get(sameFact(observation))!);
}

/** The observations of items, oldest first, by item id (one query). */
export async function observationsByItem(
  db: Queryable,
  workspaceId: string,
  itemIds: readonly string[],
): Promise<Map<string, Observation[]>> {
  const byItem = new Map<string, Observation[]>();
  if (itemIds.length === 0) return byItem;
  const rows = await db
    .selectFrom('item_observations')
    .select(['id', 'item_id', 'key', 'value_type', 'value', 'author_user_id', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('item_id', 'in', itemIds as string[])
    .orderBy('item_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = byItem.get(row.item_id) ?? [];
    list.push({
      id: row.id,
      key: row.key,
      type: row.value_type,
      value: row.value as ObservationValue,
      authorId: row.author_user_id,
      createdAt: row.created_at.toISOString(),
    });
    byItem.set(row.item_id, list);
  }
  return byItem;
}

/** Records one observation on an item (whoever investigates may add them later); isNew is false when the item already had that value for the key. */
export async function addObservation(
  ctx: RequestContext,
  auth: Auth,
  itemId: string,
  input: AddObservationInput,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const item = await tx
      .selectFrom('items')
      .select(['id', 'category_id'])
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', itemId)
      .forUpdate()
      .executeTakeFirst();
    if (!item) throw notFound('The item');
    const now = nowOf(ctx.deps);
    const [recorded] = await insertObservations(tx, {
      workspaceId: auth.workspaceId,
      itemId,
      categoryId: item.category_id,
      inputs: [input],
      authorUserId: auth.userId,
      pathFor: (_index, field) => `body.${field}`,
      at: now,
    });
    const { isNew, ...observation } = recorded!;
    if (!isNew) return { observation, isNew };
    const data = {
      observationId: observation.id,
      key: observation.key,
      type: observation.type,
      value: observation.value,
    };
    await recordItemEvent(tx, {
      workspaceId: auth.workspaceId,
      itemId,
      type: 'observation_added',
      actor: actorOf(auth),
      data,
      at: now,
    });
    await audit(tx, auditContext(ctx), {
      action: 'item.observation_added',
      entity: 'item',
      entityId: itemId,
      after: data,
    });
    return { observation, isNew };
  });
}
