import { z } from 'zod';
import { isoDate, page, uuid, versionField } from './common.ts';
import { person } from './people.ts';

// ---------------------------------------------------------------------------------------------
// Duplicates
// ---------------------------------------------------------------------------------------------

export const duplicateReasonKinds = ['email', 'phone', 'name', 'organization'] as const;
export const duplicateReason = z.object({
  kind: z.enum(duplicateReasonKinds),
  /** Human-readable: the shared email, the shared number, the two names and their similarity. */
  detail: z.string(),
});
export type DuplicateReason = z.infer<typeof duplicateReason>;

export const duplicatePair = z.object({
  /** The older record of the two (suggested survivor). */
  person,
  other: person,
  /** 0..1: how likely the two are the same person. */
  score: z.number(),
  reasons: z.array(duplicateReason),
});
export type DuplicatePair = z.infer<typeof duplicatePair>;
export const duplicatePage = page(duplicatePair);
export type DuplicatePage = z.infer<typeof duplicatePage>;

export const listDuplicatesQuery = z.strictObject({
  after: z.string().max(500).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListDuplicatesQuery = z.infer<typeof listDuplicatesQuery>;

export const dismissDuplicateInput = z.strictObject({
  personId: uuid,
  otherId: uuid,
});
export type DismissDuplicateInput = z.infer<typeof dismissDuplicateInput>;
export const dismissal = z.object({ personId: uuid, otherId: uuid, dismissedAt: isoDate });

// ---------------------------------------------------------------------------------------------
// Merge: which value of each field the survivor keeps
// ---------------------------------------------------------------------------------------------

/** Fields with one value: keep the survivor's or the other person's. */
export const scalarMergeFields = [
  'givenName',
  'familyName',
  'prefix',
  'suffix',
  'nickname',
  'displayName',
  'pronouns',
  'jobTitle',
  'stage',
  'source',
  'ownerId',
  'organizationId',
  'birthday',
  'lastContactedAt',
  'nextFollowUpAt',
] as const;
/** Fields that can also keep both values ('both': union without duplicates; notes: both texts). */
export const listMergeFields = [
  'emails',
  'phones',
  'addresses',
  'websites',
  'social',
  'importantDates',
  'tags',
  'customFields',
  'notes',
] as const;
export type ScalarMergeField = (typeof scalarMergeFields)[number];
export type ListMergeField = (typeof listMergeFields)[number];
export type MergeChoice = 'survivor' | 'other' | 'both';

const fieldChoices: Record<string, readonly MergeChoice[]> = {
  ...Object.fromEntries(scalarMergeFields.map((field) => [field, ['survivor', 'other'] as const])),
  ...Object.fromEntries(listMergeFields.map((field) => [field, ['survivor', 'other', 'both'] as const])),
};

/** True for `customFields.<key>`: one custom field chosen on its own. */
export function isCustomFieldChoice(key: string): boolean {
  return key.startsWith('customFields.') && key.length > 'customFields.'.length;
}

export const mergeFieldChoices = z
  .record(z.string().max(120), z.enum(['survivor', 'other', 'both']))
  .default({})
  .superRefine((fields, context) => {
    for (const [key, choice] of Object.entries(fields)) {
      if (isCustomFieldChoice(key)) {
        if (choice === 'both') {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: 'a single custom field keeps one value: choose survivor or other.',
          });
        }
        continue;
      }
      const allowed = fieldChoices[key];
      if (!allowed) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `is not a field that can be merged (use one of ${Object.keys(fieldChoices).join(', ')}, or customFields.<name>).`,
        });
      } else if (!allowed.includes(choice)) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `has one value: choose survivor or other.`,
        });
      }
    }
  })
  .describe(
    'Per field: survivor, other, or both (lists, tags, customFields, notes). Fields left out keep the ' +
      "survivor's value, or the other's when the survivor has none; lastContactedAt keeps the latest.",
  );
export type MergeFieldChoices = z.infer<typeof mergeFieldChoices>;

export const mergeInput = z.strictObject({
  otherId: uuid.describe('The person merged into this one (it is deleted; its references move here).'),
  fields: mergeFieldChoices,
  version: versionField.describe('The version of the survivor you read (409 when it changed).'),
  otherVersion: versionField.describe('The version of the other person you read (409 when it changed).'),
});
export type MergeInput = z.input<typeof mergeInput>;

export const mergeSummary = z.object({
  id: uuid,
  survivorId: uuid,
  mergedId: uuid,
  survivorName: z.string(),
  mergedName: z.string(),
  createdAt: isoDate,
  createdBy: uuid.nullable(),
  undoneAt: isoDate.nullable(),
});
export type MergeSummary = z.infer<typeof mergeSummary>;
export const mergePage = page(mergeSummary);
export type MergePage = z.infer<typeof mergePage>;

export const mergeDetail = mergeSummary.extend({
  fields: z.record(z.string(), z.string()),
  /** How many reference rows were moved to the survivor, and deleted, per table. */
  references: z.record(z.string(), z.object({ moved: z.number().int(), deleted: z.number().int() })),
});
export type MergeDetail = z.infer<typeof mergeDetail>;

export const mergeResult = z.object({
  merge: z.object({ id: uuid, survivorId: uuid, mergedId: uuid, createdAt: isoDate }),
  person,
});
export type MergeResult = z.infer<typeof mergeResult>;

export const undoResult = z.object({ merge: mergeSummary, person, other: person });
export type UndoResult = z.infer<typeof undoResult>;
