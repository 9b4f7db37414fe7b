import { AppError } from '../../platform/errors.ts';
import {
  cleanText,
  deriveDisplayName,
  emailKey,
  type FieldProblem,
  foldForSearch,
  isValidEmail,
  normalizePhone,
  normalizeTags,
  normalizeWebsite,
  type Person,
  type PersonFieldsInput,
  withOnePrimary,
} from '../../shared/people.ts';

/** What is stored of a person, before the derived columns (display name, search text, keys). */
export type PersonState = Omit<
  Person,
  'id' | 'version' | 'createdAt' | 'updatedAt' | 'displayName' | 'photoUrl'
> & {
  /** The display name the user chose; null when it is derived from the name parts. */
  customDisplayName: string | null;
};

export function emptyPersonState(): PersonState {
  return {
    givenName: null,
    familyName: null,
    prefix: null,
    suffix: null,
    nickname: null,
    customDisplayName: null,
    pronouns: null,
    jobTitle: null,
    stage: 'prospect',
    source: null,
    ownerId: null,
    organizationId: null,
    birthday: null,
    emails: [],
    phones: [],
    addresses: [],
    websites: [],
    social: [],
    importantDates: [],
    tags: [],
    customFields: {},
    notes: null,
    lastContactedAt: null,
    nextFollowUpAt: null,
  };
}

/** 422 naming each refused field. */
export function unprocessable(problems: FieldProblem[]): AppError {
  const summary = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
  return new AppError('unprocessable', `Some fields cannot be saved. ${summary}`, { errors: problems });
}

const textFields = [
  'givenName',
  'familyName',
  'prefix',
  'suffix',
  'nickname',
  'pronouns',
  'jobTitle',
  'source',
] as const;
const plainFields = [
  'ownerId',
  'organizationId',
  'birthday',
  'lastContactedAt',
  'nextFollowUpAt',
  'customFields',
] as const;

/**
 * Applies the fields present in `input` to `base` (absent fields keep their value, null clears)
 * and normalizes them: names trimmed, emails checked, phones read with the workspace region,
 * one primary per list. Throws a 422 listing every refused field.
 */
export function applyPersonInput(base: PersonState, input: PersonFieldsInput, region: string): PersonState {
  const problems: FieldProblem[] = [];
  const next: PersonState = { ...base };
  for (const key of textFields) if (input[key] !== undefined) next[key] = cleanText(input[key]);
  for (const key of plainFields) {
    if (input[key] !== undefined)
      (next as Record<string, unknown>)[key] = input[key] ?? (key === 'customFields' ? {} : null);
  }
  if (input.displayName !== undefined) next.customDisplayName = cleanText(input.displayName);
  if (input.stage !== undefined) next.stage = input.stage;
  if (input.notes !== undefined) next.notes = input.notes?.trim() ? input.notes : null;
  if (input.tags !== undefined) next.tags = normalizeTags(input.tags);
  if (input.emails !== undefined) next.emails = normalizeEmails(input.emails, problems);
  if (input.phones !== undefined) next.phones = normalizePhones(input.phones, region, problems);
  if (input.websites !== undefined) next.websites = normalizeWebsites(input.websites, problems);
  if (input.addresses !== undefined) {
    const addresses = input.addresses.map((address, index) => {
      const clean = {
        label: cleanText(address.label),
        street: cleanText(address.street),
        city: cleanText(address.city),
        region: cleanText(address.region),
        postalCode: cleanText(address.postalCode),
        country: cleanText(address.country),
        primary: address.primary,
      };
      if (![clean.street, clean.city, clean.region, clean.postalCode, clean.country].some(Boolean)) {
        problems.push({ path: `body.addresses.${index}`, message: 'is empty; give at least one part.' });
      }
      return clean;
    });
    next.addresses = withOnePrimary(addresses, 'body.addresses', problems);
  }
  if (input.social !== undefined)
    next.social = input.social.map(({ service, handle }) => ({ service, handle }));
  if (input.importantDates !== undefined) next.importantDates = input.importantDates.map((d) => ({ ...d }));
  if (problems.length === 0 && displayNameOf(next) === null) {
    problems.push({ path: 'body', message: 'A person needs at least a name, an email or a phone number.' });
  }
  if (problems.length > 0) throw unprocessable(problems);
  return next;
}

function normalizeEmails(items: NonNullable<PersonFieldsInput['emails']>, problems: FieldProblem[]) {
  const seen = new Map<string, number>();
  const emails = items.map((item, index) => {
    const value = item.value.trim();
    const path = `body.emails.${index}.value`;
    if (!isValidEmail(value)) {
      problems.push({ path, message: `"${value}" is not an email address (such as ana@example.com).` });
    } else {
      const key = emailKey(value);
      const first = seen.get(key);
      if (first !== undefined) problems.push({ path, message: `is the same as body.emails.${first}.value.` });
      else seen.set(key, index);
    }
    return { value, label: cleanText(item.label), primary: item.primary };
  });
  return withOnePrimary(emails, 'body.emails', problems);
}

function normalizePhones(
  items: NonNullable<PersonFieldsInput['phones']>,
  region: string,
  problems: FieldProblem[],
) {
  const seen = new Map<string, number>();
  const phones = items.map((item, index) => {
    const value = item.value.trim();
    const path = `body.phones.${index}.value`;
    const parsed = normalizePhone(value, region);
    if (!parsed) {
      problems.push({
        path,
        message: `"${value}" is not a valid phone number (numbers without + and a country code are read as ${region} numbers).`,
      });
    } else {
      const first = seen.get(parsed.e164);
      if (first !== undefined)
        problems.push({ path, message: `is the same number as body.phones.${first}.value.` });
      else seen.set(parsed.e164, index);
    }
    return { value, e164: parsed?.e164 ?? '', label: cleanText(item.label), primary: item.primary };
  });
  return withOnePrimary(phones, 'body.phones', problems);
}

function normalizeWebsites(items: NonNullable<PersonFieldsInput['websites']>, problems: FieldProblem[]) {
  const websites = items.map((item, index) => {
    const value = normalizeWebsite(item.value);
    if (!value) {
      problems.push({
        path: `body.websites.${index}.value`,
        message: `"${item.value.trim()}" is not a web address (such as https://example.com).`,
      });
    }
    return { value: value ?? item.value.trim(), label: cleanText(item.label), primary: item.primary };
  });
  return withOnePrimary(websites, 'body.websites', problems);
}

/** The chosen display name, else one derived from the name parts, else the primary email or phone. */
export function displayNameOf(state: PersonState): string | null {
  return (
    state.customDisplayName ??
    deriveDisplayName(state) ??
    state.emails.find((email) => email.primary)?.value ??
    state.phones.find((phone) => phone.primary)?.value ??
    null
  );
}

/** The derived columns: display name, sort key, search text, email and phone keys. */
export function derivedColumns(state: PersonState) {
  const displayName = displayNameOf(state) ?? '?';
  const phoneDigits = state.phones.flatMap((phone) => {
    const parsed = normalizePhone(phone.e164, 'US');
    return [phone.e164.slice(1), parsed?.nationalDigits ?? ''];
  });
  const words = [
    displayName,
    state.givenName,
    state.familyName,
    state.nickname,
    state.jobTitle,
    ...state.emails.map((email) => email.value),
    ...state.tags,
    ...phoneDigits,
  ];
  return {
    display_name: displayName,
    custom_display_name: state.customDisplayName !== null,
    sort_name: foldForSearch(displayName),
    search_name: foldForSearch(displayName),
    search_text: foldForSearch(words.filter(Boolean).join(' ')),
    email_keys: state.emails.map((email) => emailKey(email.value)),
    phone_keys: state.phones.map((phone) => phone.e164),
  };
}

/**
 * The columns to write for a person in this state, the jsonb ones as values: for a batch that
 * is serialized as a whole (imports), so that no column is turned into JSON text twice.
 */
export function personValues(state: PersonState) {
  return {
    given_name: state.givenName,
    family_name: state.familyName,
    prefix: state.prefix,
    suffix: state.suffix,
    nickname: state.nickname,
    pronouns: state.pronouns,
    job_title: state.jobTitle,
    stage: state.stage,
    source: state.source,
    owner_id: state.ownerId,
    organization_id: state.organizationId,
    birthday: state.birthday,
    emails: state.emails,
    phones: state.phones,
    addresses: state.addresses,
    websites: state.websites,
    social: state.social,
    important_dates: state.importantDates,
    tags: state.tags,
    custom_fields: state.customFields,
    notes: state.notes,
    last_contacted_at: state.lastContactedAt,
    next_follow_up_at: state.nextFollowUpAt,
    ...derivedColumns(state),
  };
}

/** The columns to write for a person in this state (jsonb columns as JSON text). */
export function personColumns(state: PersonState) {
  const values = personValues(state);
  return {
    ...values,
    emails: JSON.stringify(values.emails),
    phones: JSON.stringify(values.phones),
    addresses: JSON.stringify(values.addresses),
    websites: JSON.stringify(values.websites),
    social: JSON.stringify(values.social),
    important_dates: JSON.stringify(values.important_dates),
    custom_fields: JSON.stringify(values.custom_fields),
  };
}

export type PersonColumns = ReturnType<typeof personColumns>;
