import { z } from 'zod';
import { isoDate, uuid } from './common.ts';
import { stage } from './people.ts';

export const partyTypes = ['person', 'organization'] as const;
export type PartyType = (typeof partyTypes)[number];
export const partyType = z.enum(partyTypes);

export interface RelationshipTypeInfo {
  key: string;
  /** Read from the `from` side: "Ana works at Acme". */
  label: string;
  /** Read from the `to` side: "Acme employs Ana"; null when the same as label. */
  inverseLabel: string | null;
  /** A link that means the same both ways (friend): B→A duplicates A→B. */
  symmetric: boolean;
  /** Allowed party types at each end; absent means any. */
  from?: readonly PartyType[];
  to?: readonly PartyType[];
}

export const builtInRelationshipTypes: readonly RelationshipTypeInfo[] = [
  {
    key: 'works_at',
    label: 'works at',
    inverseLabel: 'employs',
    symmetric: false,
    from: ['person'],
    to: ['organization'],
  },
  {
    key: 'reports_to',
    label: 'reports to',
    inverseLabel: 'manages',
    symmetric: false,
    from: ['person'],
    to: ['person'],
  },
  { key: 'referred_by', label: 'was referred by', inverseLabel: 'referred', symmetric: false },
  { key: 'influences', label: 'influences', inverseLabel: 'is influenced by', symmetric: false },
  {
    key: 'family',
    label: 'is family of',
    inverseLabel: null,
    symmetric: true,
    from: ['person'],
    to: ['person'],
  },
  {
    key: 'friend',
    label: 'is a friend of',
    inverseLabel: null,
    symmetric: true,
    from: ['person'],
    to: ['person'],
  },
  { key: 'partner_of', label: 'is a partner of', inverseLabel: null, symmetric: true },
];
export const builtInKeys = new Set(builtInRelationshipTypes.map((type) => type.key));

/**
 * Edges the influence map follows, as "influencer → influenced": `A influences B`, and
 * `A referred_by B` (B brought A to us, so B influenced A).
 */
export const influenceTypes = ['influences', 'referred_by'] as const;

export const relationshipTypeKey = z
  .string()
  .trim()
  .regex(
    /^[a-z][a-z0-9_]{0,49}$/,
    'must be lower case letters, digits and _, starting with a letter (e.g. mentor_of).',
  );

/** A key made from a label: "Mentor of" → mentor_of. */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 50);
  return key || 'custom';
}

const label = z.string().trim().min(1, 'is required.').max(100, 'must be at most 100 characters long.');

export const createRelationshipTypeInput = z.strictObject({
  key: relationshipTypeKey.optional().describe('Defaults to one made from the label.'),
  label: label.describe('Read from the first party: "is a mentor of".'),
  inverseLabel: label.nullable().optional().describe('Read from the second party: "is mentored by".'),
});
export type CreateRelationshipTypeInput = z.infer<typeof createRelationshipTypeInput>;

export const relationshipType = z.object({
  id: uuid.nullable().describe('Null for built-in types.'),
  key: z.string(),
  label: z.string(),
  inverseLabel: z.string().nullable(),
  symmetric: z.boolean(),
  builtIn: z.boolean(),
});
export type RelationshipType = z.infer<typeof relationshipType>;

export const party = z.strictObject({ type: partyType, id: uuid });

export const createRelationshipInput = z.strictObject({
  from: party,
  to: party,
  type: relationshipTypeKey,
  note: z.string().trim().max(2000, 'must be at most 2000 characters long.').nullable().optional(),
});
export type CreateRelationshipInput = z.infer<typeof createRelationshipInput>;

export const partyOutput = z.object({ type: partyType, id: uuid, name: z.string() });

export const relationship = z.object({
  id: uuid,
  type: z.string(),
  label: z.string().describe('How the link reads from `from`.'),
  inverseLabel: z.string().nullable(),
  from: partyOutput,
  to: partyOutput,
  note: z.string().nullable(),
  createdBy: uuid.nullable(),
  createdAt: isoDate,
});
export type Relationship = z.infer<typeof relationship>;

export const listRelationshipsQuery = z.strictObject({
  personId: uuid.optional().describe('Links from or to this person.'),
  organizationId: uuid.optional().describe('Links from or to this organization.'),
  type: relationshipTypeKey.optional(),
  after: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type ListRelationshipsQuery = z.infer<typeof listRelationshipsQuery>;

export const influenceNode = z.object({
  id: uuid,
  displayName: z.string(),
  stage,
  hop: z.union([z.literal(1), z.literal(2)]),
  via: uuid.nullable().describe('For hop 2: the hop-1 person the link goes through.'),
  customerCount: z
    .number()
    .int()
    .describe('People at stage customer linked to this person by any relationship.'),
});
export type InfluenceNode = z.infer<typeof influenceNode>;

export const influenceMap = z.object({
  person: z.object({ id: uuid, displayName: z.string(), stage, customerCount: z.number().int() }),
  influences: z.array(influenceNode).describe('Whom this person influences (and whom they influence).'),
  influencedBy: z.array(influenceNode).describe('Who influences this person (and who influences them).'),
  truncated: z.boolean().describe('True when the fan-out cap left some people out.'),
});
export type InfluenceMap = z.infer<typeof influenceMap>;

/** Fan-out caps of the influence map: people per hop 1, and per hop-1 person at hop 2. */
export const influenceCaps = { hop1: 50, hop2PerNode: 20 } as const;

/** How a link reads from one of its ends (for lists that show the other party). */
export function describeFrom(rel: Relationship, side: 'from' | 'to'): string {
  if (side === 'from') return rel.label;
  return rel.inverseLabel ?? rel.label;
}
