import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import {
  type CreateCustomFieldInput,
  type CustomFieldEntity,
  checkCustomFieldValues,
  slugifyKey,
  typesWithOptions,
  type UpdateCustomFieldInput,
} from '../../shared/custom-fields.ts';
import type { FieldProblem } from '../../shared/people.ts';
import { staleVersion } from '../people/precondition.ts';
import {
  customFieldOutput,
  deleteDefinitionRow,
  findDefinition,
  insertDefinition,
  keyTaken,
  listDefinitions,
  nextPosition,
  removeStoredOptions,
  removeStoredValues,
  updateDefinitionRow,
} from './queries.ts';

const entity = 'custom_field';

export async function listCustomFields(ctx: RequestContext, auth: Auth, forEntity?: CustomFieldEntity) {
  const rows = await listDefinitions(ctx.deps.db, auth.workspaceId, forEntity);
  return { data: rows.map(customFieldOutput), next: null };
}

export async function createCustomField(ctx: RequestContext, auth: Auth, input: CreateCustomFieldInput) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const key = input.key ?? slugifyKey(input.label);
    if (await keyTaken(tx, auth.workspaceId, input.entity, key)) {
      throw new AppError(
        'conflict',
        `There is already a ${input.entity} field with the key "${key}"; choose another key.`,
        { errors: [{ path: 'body.key', message: 'is already used by another field.' }] },
      );
    }
    const row = await insertDefinition(tx, {
      id: newId(),
      workspace_id: auth.workspaceId,
      entity: input.entity,
      key,
      label: input.label,
      type: input.type,
      options: JSON.stringify(input.options ?? []),
      position: input.position ?? (await nextPosition(tx, auth.workspaceId, input.entity)),
    });
    const created = customFieldOutput(row);
    await audit(tx, auditContext(ctx), {
      action: 'custom_field.created',
      entity,
      entityId: row.id,
      after: created,
    });
    return created;
  });
}

export async function updateCustomField(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: Omit<UpdateCustomFieldInput, 'version'>,
  version: number,
) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findDefinition(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The custom field');
    if (row.version !== version) throw staleVersion('this custom field', version, row.version);
    const hasOptions = typesWithOptions.includes(row.type);
    if (input.options !== undefined && hasOptions && input.options.length === 0) {
      throw new AppError('unprocessable', 'body.options: a select field needs at least one option.', {
        errors: [{ path: 'body.options', message: 'a select field needs at least one option.' }],
      });
    }
    if (input.options?.length && !hasOptions) {
      throw new AppError('unprocessable', `body.options: a ${row.type} field has no options.`, {
        errors: [{ path: 'body.options', message: `a ${row.type} field has no options.` }],
      });
    }
    const before = customFieldOutput(row);
    if (input.options !== undefined && hasOptions) {
      const removed = row.options.filter((option) => !input.options!.includes(option));
      await removeStoredOptions(tx, auth.workspaceId, row, removed);
    }
    const updated = await updateDefinitionRow(tx, auth.workspaceId, id, {
      ...(input.label !== undefined ? { label: input.label } : {}),
      ...(input.options !== undefined && hasOptions ? { options: JSON.stringify(input.options) } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
    });
    const after = customFieldOutput(updated);
    await audit(tx, auditContext(ctx), {
      action: 'custom_field.updated',
      entity,
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/** Deleting a definition also removes its values from every person or organization (one statement). */
export async function deleteCustomField(ctx: RequestContext, auth: Auth, id: string, version?: number) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const row = await findDefinition(tx, auth.workspaceId, id, true);
    if (!row) throw notFound('The custom field');
    if (version !== undefined && row.version !== version) {
      throw staleVersion('this custom field', version, row.version);
    }
    const cleared = await removeStoredValues(tx, auth.workspaceId, row.entity, row.key);
    await deleteDefinitionRow(tx, auth.workspaceId, id);
    await audit(tx, auditContext(ctx), {
      action: 'custom_field.deleted',
      entity,
      entityId: id,
      before: customFieldOutput(row),
      after: { valuesRemovedFrom: cleared },
    });
  });
}

/**
 * Checks the custom field values of a person or organization against the workspace's
 * definitions; returns them normalized, or throws 422 naming `body.customFields.<key>`.
 */
export async function validateCustomFields(
  db: Queryable,
  workspaceId: string,
  forEntity: CustomFieldEntity,
  values: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (Object.keys(values).length === 0) return values;
  const definitions = await listDefinitions(db, workspaceId, forEntity);
  const problems: FieldProblem[] = [];
  const clean = checkCustomFieldValues(values, definitions, 'body.customFields', problems);
  if (problems.length > 0) {
    const summary = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    throw new AppError('unprocessable', `Some fields cannot be saved. ${summary}`, { errors: problems });
  }
  return clean;
}

/**
 * `customField=key:value` list filters as jsonb documents to contain, the value read by the
 * field's type: `{"size": 42}`, `{"vip": true}`, `{"interests": ["golf"]}` (multi-select: contains).
 */
export async function customFieldFilterMatches(
  db: Queryable,
  workspaceId: string,
  forEntity: CustomFieldEntity,
  filters: { key: string; value: string }[],
): Promise<string[]> {
  const definitions = new Map(
    (await listDefinitions(db, workspaceId, forEntity)).map((definition) => [definition.key, definition]),
  );
  const problems: FieldProblem[] = [];
  const path = 'query.customField';
  const matches = filters.map(({ key, value }) => {
    const definition = definitions.get(key);
    let typed: unknown = value;
    if (!definition)
      problems.push({
        path,
        message: `${key} is not a custom field of ${forEntity === 'person' ? 'people' : 'organizations'}.`,
      });
    else if (definition.type === 'number') {
      typed = Number(value);
      if (value.trim() === '' || !Number.isFinite(typed))
        problems.push({ path, message: `${key} is a number field: give a number.` });
    } else if (definition.type === 'checkbox') {
      typed = value === 'true';
      if (value !== 'true' && value !== 'false')
        problems.push({ path, message: `${key} is a checkbox: give true or false.` });
    } else if (definition.type === 'multiselect') typed = [value];
    return JSON.stringify({ [key]: typed });
  });
  if (problems.length > 0) {
    const summary = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    throw new AppError('unprocessable', `Some filters cannot be applied. ${summary}`, { errors: problems });
  }
  return matches;
}
