import type { ImportMapping } from '../../shared/imports.ts';
import { deriveDisplayName, type FieldProblem, type PersonFieldsInput } from '../../shared/people.ts';
import { cleanLabel, emptyDraft, type ImportDraft, isEmptyDate, parseDate, parseStage } from './draft.ts';

type ListKind = 'email' | 'phone' | 'website';
type AddressPart = 'street' | 'city' | 'region' | 'postalCode' | 'country';

/** One column's target, parsed. */
type Target =
  | { kind: 'scalar'; field: string }
  | { kind: 'list'; list: ListKind; group: string; label: string | null; isLabel: boolean }
  | { kind: 'address'; group: string; part: AddressPart | 'label'; label: string | null }
  | { kind: 'custom'; key: string };

export interface MappingPlan {
  columns: (Target | null)[];
}

function parseTarget(target: string, column: number): Target | null {
  if (target === 'ignore') return null;
  if (target.startsWith('customFields.'))
    return { kind: 'custom', key: target.slice('customFields.'.length) };
  let match = /^(email|phone|website)(?:#(\d+)(\.label)?)?(?::(.+))?$/.exec(target);
  if (match) {
    const numbered = match[2] !== undefined;
    return {
      kind: 'list',
      list: match[1] as ListKind,
      // Each plain column is its own item; numbered columns pair a value with its label column.
      group: numbered ? `#${match[2]}` : `c${column}`,
      label: match[4] ?? null,
      isLabel: match[3] !== undefined,
    };
  }
  match = /^address(?:#(\d+))?\.(street|city|region|postalCode|country|label)(?::(.+))?$/.exec(target);
  if (match) {
    return {
      kind: 'address',
      group: match[1] !== undefined ? `#${match[1]}` : `:${match[3] ?? ''}`,
      part: match[2] as AddressPart | 'label',
      label: match[3] ?? null,
    };
  }
  return { kind: 'scalar', field: target };
}

/** Reads a mapping (targets in column order, or by header) against the file's headers. */
export function compileMapping(
  mapping: ImportMapping,
  headers: readonly string[],
): { plan: MappingPlan; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  let targets: (string | null)[];
  if (Array.isArray(mapping)) {
    if (mapping.length > headers.length) {
      problems.push({
        path: 'mapping',
        message: `has ${mapping.length} targets but the file has ${headers.length} columns.`,
      });
    }
    targets = headers.map((_, index) => mapping[index] ?? null);
  } else {
    for (const header of Object.keys(mapping)) {
      if (!headers.includes(header))
        problems.push({ path: `mapping.${header}`, message: 'is not a column of this file.' });
    }
    targets = headers.map((header) => mapping[header] ?? null);
  }
  const columns = targets.map((target, index) => (target ? parseTarget(target, index) : null));
  if (!columns.some(Boolean)) {
    problems.push({ path: 'mapping', message: 'maps no column to a person field; choose at least one.' });
  }
  return { plan: { columns }, problems };
}

const multiValue = /\s*:::\s*|\s*;\s*/;
const tagSeparator = /\s*:::\s*|\s*[;,]\s*/;

/** One CSV record as a draft person, following the plan. */
export function mapRow(fields: readonly string[], plan: MappingPlan, row: number): ImportDraft {
  const draft = emptyDraft(row);
  const person: PersonFieldsInput = {};
  const scalars = new Map<string, string>();
  const lists = new Map<string, { list: ListKind; values: string[]; label: string | null }>();
  const addresses = new Map<string, Partial<Record<AddressPart | 'label', string>>>();
  const custom: Record<string, string> = {};
  plan.columns.forEach((target, index) => {
    const value = fields[index]?.trim();
    if (!target || !value) return;
    if (target.kind === 'scalar') {
      const previous = scalars.get(target.field);
      scalars.set(target.field, previous ? `${previous}\n${value}` : value);
    } else if (target.kind === 'custom') custom[target.key] = value;
    else if (target.kind === 'list') {
      const key = `${target.list}${target.group}`;
      const entry = lists.get(key) ?? { list: target.list, values: [], label: target.label };
      if (target.isLabel) entry.label = value;
      else entry.values.push(...value.split(target.list === 'website' ? /\s*:::\s*/ : multiValue));
      lists.set(key, entry);
    } else {
      const entry = addresses.get(target.group) ?? (target.label ? { label: target.label } : {});
      const previous = entry[target.part];
      entry[target.part] = previous && target.part === 'street' ? `${previous}\n${value}` : value;
      addresses.set(target.group, entry);
    }
  });

  for (const [field, value] of scalars) {
    switch (field) {
      case 'givenName':
      case 'familyName':
      case 'prefix':
      case 'suffix':
      case 'nickname':
      case 'pronouns':
      case 'jobTitle':
      case 'source':
      case 'displayName':
        person[field] = value;
        break;
      case 'notes':
        person.notes = value;
        break;
      case 'organization':
        draft.organizationName = value;
        break;
      case 'stage': {
        const stage = parseStage(value);
        if (stage) person.stage = stage;
        else draft.warnings.push(`the stage "${value}" is unknown; the person was imported as a prospect.`);
        break;
      }
      case 'birthday': {
        if (isEmptyDate(value)) break;
        const parsed = parseDate(value);
        if (parsed && 'date' in parsed) person.birthday = parsed.date;
        else if (parsed) draft.warnings.push(`the birthday "${value}" has no year and was not imported.`);
        else
          draft.warnings.push(`the birthday "${value}" is not a date (use 1985-04-12) and was not imported.`);
        break;
      }
      case 'tags':
        person.tags = value.split(tagSeparator).filter((tag) => tag && !tag.startsWith('* '));
        break;
      default:
        break;
    }
  }
  const middle = scalars.get('middleName');
  if (middle) person.givenName = [person.givenName, middle].filter(Boolean).join(' ');

  const emails: NonNullable<PersonFieldsInput['emails']> = [];
  const phones: NonNullable<PersonFieldsInput['phones']> = [];
  const websites: NonNullable<PersonFieldsInput['websites']> = [];
  for (const entry of lists.values()) {
    const { label, primary } = cleanLabel(entry.label, 'csv');
    const target = entry.list === 'email' ? emails : entry.list === 'phone' ? phones : websites;
    const seen = new Set(target.map((item) => item.value.toLowerCase()));
    entry.values.forEach((value, index) => {
      if (!value || seen.has(value.toLowerCase())) return;
      seen.add(value.toLowerCase());
      target.push({ value, label, primary: primary && index === 0 && !target.some((item) => item.primary) });
    });
  }
  if (emails.length) person.emails = emails;
  if (phones.length) person.phones = phones;
  if (websites.length) person.websites = websites;
  const addressList: NonNullable<PersonFieldsInput['addresses']> = [];
  for (const entry of addresses.values()) {
    const { label } = cleanLabel(entry.label, 'csv');
    const { street, city, region, postalCode, country } = entry;
    if (![street, city, region, postalCode, country].some(Boolean)) continue;
    addressList.push({
      label,
      street: street ?? null,
      city: city ?? null,
      region: region ?? null,
      postalCode: postalCode ?? null,
      country: country ?? null,
    });
  }
  if (addressList.length) person.addresses = addressList;
  if (Object.keys(custom).length) person.customFields = custom;
  // A full-name column that says the same as the name parts leaves the display name derived.
  if (person.displayName && person.displayName === deriveDisplayName(person)) delete person.displayName;
  draft.person = person;
  return draft;
}
