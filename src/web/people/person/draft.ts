import type { PersonFieldsInput } from '../../../shared/people.ts';
import { ApiError } from '../../app/api.ts';
import type { PersonRecord } from '../api.ts';

/** The editable fields of a person, as the form holds them (the PATCH payload shape). */
export type PersonDraft = Required<
  Pick<
    PersonFieldsInput,
    | 'givenName'
    | 'familyName'
    | 'prefix'
    | 'suffix'
    | 'nickname'
    | 'displayName'
    | 'pronouns'
    | 'jobTitle'
    | 'stage'
    | 'source'
    | 'ownerId'
    | 'organizationId'
    | 'birthday'
    | 'emails'
    | 'phones'
    | 'addresses'
    | 'websites'
    | 'social'
    | 'importantDates'
    | 'tags'
    | 'customFields'
    | 'notes'
  >
>;

export function draftOf(person: PersonRecord, derivedName: string | null): PersonDraft {
  return {
    givenName: person.givenName,
    familyName: person.familyName,
    prefix: person.prefix,
    suffix: person.suffix,
    nickname: person.nickname,
    // A display name equal to the derived one stays empty, so it follows name changes.
    displayName: person.displayName === derivedName ? null : person.displayName,
    pronouns: person.pronouns,
    jobTitle: person.jobTitle,
    stage: person.stage,
    source: person.source,
    ownerId: person.ownerId,
    organizationId: person.organizationId,
    birthday: person.birthday,
    emails: person.emails.map(({ value, label, primary }) => ({ value, label, primary })),
    phones: person.phones.map(({ value, label, primary }) => ({ value, label, primary })),
    addresses: person.addresses.map((address) => ({ ...address })),
    websites: person.websites.map(({ value, label, primary }) => ({ value, label, primary })),
    social: person.social.map((item) => ({ ...item })),
    importantDates: person.importantDates.map((item) => ({ ...item })),
    tags: [...person.tags],
    customFields: { ...(person.customFields as PersonDraft['customFields']) },
    notes: person.notes,
  };
}

/** The fields whose value differs from what was loaded: only they are sent. */
export function changedFields<T extends object>(original: T, draft: T): Partial<T> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(draft) as (keyof T)[]) {
    const before = original[key] ?? null;
    const after = draft[key] === '' ? null : (draft[key] ?? null);
    if (JSON.stringify(before) !== JSON.stringify(after)) changes[key as string] = after;
  }
  return changes as Partial<T>;
}

/** Field problems of a 422 keyed by path without `body.`: `emails.0.value` → message. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const problem of error.errors) out[problem.path.replace(/^body\.?/, '')] = problem.message;
  return out;
}

/** The message for a field: its own path, or the first problem under it. */
export function errorAt(errors: Record<string, string>, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const nested = Object.keys(errors).find((key) => key.startsWith(`${path}.`));
  return nested ? errors[nested] : undefined;
}
