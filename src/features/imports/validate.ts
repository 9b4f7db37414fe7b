import { AppError } from '../../platform/errors.ts';
import { type CustomField, checkCustomFieldValues } from '../../shared/custom-fields.ts';
import {
  type CreatePersonInput,
  createPersonInput,
  emailKey,
  type FieldProblem,
  foldForSearch,
  normalizePhone,
  type PersonFieldsInput,
} from '../../shared/people.ts';
import { applyPersonInput, displayNameOf, emptyPersonState, type PersonState } from '../people/normalize.ts';
import type { ImportDraft } from './draft.ts';

export type Validated =
  | { ok: true; input: CreatePersonInput; state: PersonState }
  | { ok: false; message: string };

const listLabels: Record<string, string> = {
  emails: 'Email',
  phones: 'Phone',
  addresses: 'Address',
  websites: 'Website',
  social: 'Social profile',
  importantDates: 'Date',
  tags: 'Tag',
};

/** "emails.1.value" → "Email 2", "givenName" → "Given name", "customFields.size" → "size". */
export function fieldLabel(path: string): string {
  const [head = '', index] = path.replace(/^body\.?/, '').split('.');
  if (!head) return 'Row';
  if (head === 'customFields' && index) return index;
  if (listLabels[head] && index !== undefined && /^\d+$/.test(index))
    return `${listLabels[head]} ${Number(index) + 1}`;
  const words = head.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** One row's problems as a sentence a person can act on: "Email 1: … is not an email address; Phone 1: …". */
export function rowProblemText(problems: { path: string; message: string }[]): string {
  return `${problems.map((problem) => `${fieldLabel(problem.path)}: ${problem.message.replace(/\.$/, '')}`).join('; ')}.`;
}

/**
 * The same checks as `POST /api/v1/people`: the shared zod schema, then the shared
 * normalizer (emails, phones in the workspace region, one primary per list). A refused
 * field becomes the row's error message, naming the field.
 */
export function validateDraft(
  draft: ImportDraft,
  region: string,
  definitions: readonly Definition[],
): Validated {
  if (draft.error) return { ok: false, message: draft.error };
  const parsed = createPersonInput.safeParse(draft.person);
  if (!parsed.success) {
    const message = rowProblemText(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
    return {
      ok: false,
      message:
        draft.organizationName && /at least a name/.test(message)
          ? message.replace(/\.$/, ' (only an organization was given).')
          : message,
    };
  }
  try {
    const state = applyPersonInput(emptyPersonState(), parsed.data, region);
    if (Object.keys(state.customFields).length > 0) {
      const problems: FieldProblem[] = [];
      const typed = typedCustomValues(state.customFields, definitions);
      state.customFields = checkCustomFieldValues(typed, definitions, 'customFields', problems);
      if (problems.length) return { ok: false, message: rowProblemText(problems) };
      parsed.data.customFields = state.customFields as CreatePersonInput['customFields'];
    }
    return { ok: true, input: parsed.data, state };
  } catch (error) {
    if (error instanceof AppError && error.details.errors) {
      return {
        ok: false,
        message: rowProblemText(error.details.errors),
      };
    }
    throw error;
  }
}

type Definition = Pick<CustomField, 'key' | 'type' | 'options'>;

/** CSV cells are text: read them as the field's type (numbers, yes/no, lists) before checking. */
function typedCustomValues(values: Record<string, unknown>, definitions: readonly Definition[]) {
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const type = byKey.get(key)?.type;
    if (typeof value !== 'string') out[key] = value;
    else if (type === 'number' && value.trim() !== '' && Number.isFinite(Number(value)))
      out[key] = Number(value);
    else if (type === 'checkbox' && /^(true|yes|y|1|x)$/i.test(value.trim())) out[key] = true;
    else if (type === 'checkbox' && /^(false|no|n|0)$/i.test(value.trim())) out[key] = false;
    else if (type === 'multiselect') out[key] = value.split(/\s*[;,]\s*/).filter(Boolean);
    else out[key] = value;
  }
  return out;
}

/** The keys a row is matched by: emails, then phones; without either, folded name + organization. */
export function matchKeys(state: PersonState): { emails: string[]; phones: string[]; name: string | null } {
  const emails = state.emails.map((email) => emailKey(email.value));
  const phones = state.phones.map((phone) => phone.e164).filter(Boolean);
  const name =
    emails.length === 0 && phones.length === 0
      ? `${foldForSearch(displayNameOf(state) ?? '')}|${state.organizationId ?? ''}`
      : null;
  return { emails, phones, name };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What "update" writes: the fields the row gives replace the person's, lists gain the items
 * they do not have yet (emails by address, phones by number, others by value), tags are
 * added, custom fields merged.
 */
export function mergeInput(
  existing: PersonState,
  input: CreatePersonInput,
  region: string,
): PersonFieldsInput {
  const merged: PersonFieldsInput = {};
  for (const [key, value] of Object.entries(input) as [keyof CreatePersonInput, unknown][]) {
    if (value !== undefined && value !== null && !Array.isArray(value) && key !== 'customFields')
      (merged as Record<string, unknown>)[key] = value;
  }
  const append = <T extends { primary?: boolean | undefined }>(
    current: readonly T[],
    incoming: readonly T[] | undefined,
    key: (item: T) => string,
  ): T[] | undefined => {
    if (!incoming?.length) return undefined;
    const seen = new Set(current.map(key));
    const added = incoming
      .filter((item) => !seen.has(key(item)))
      .map((item) => ({ ...item, primary: false }));
    return added.length ? [...current.map((item) => ({ ...item })), ...added] : undefined;
  };
  const phoneKey = (item: { value: string }) => normalizePhone(item.value, region)?.e164 ?? item.value;
  const lists = {
    emails: append(existing.emails, input.emails, (item) => emailKey(item.value)),
    phones: append(
      existing.phones.map(({ value, label, primary }) => ({ value, label, primary })),
      input.phones,
      phoneKey,
    ),
    websites: append(existing.websites, input.websites, (item) => item.value),
    addresses: append(existing.addresses, input.addresses, (item) =>
      JSON.stringify([item.street, item.city, item.region, item.postalCode, item.country]),
    ),
  };
  for (const [key, value] of Object.entries(lists))
    if (value) (merged as Record<string, unknown>)[key] = value;
  if (input.social?.length) {
    const added = input.social.filter((item) => !existing.social.some((other) => sameJson(item, other)));
    if (added.length) merged.social = [...existing.social, ...added];
  }
  if (input.importantDates?.length) {
    const added = input.importantDates.filter(
      (item) => !existing.importantDates.some((other) => sameJson(item, other)),
    );
    if (added.length) merged.importantDates = [...existing.importantDates, ...added];
  }
  if (input.tags?.length) merged.tags = [...existing.tags, ...input.tags];
  if (input.customFields && Object.keys(input.customFields).length)
    merged.customFields = {
      ...(existing.customFields as PersonFieldsInput['customFields']),
      ...input.customFields,
    };
  return merged;
}
