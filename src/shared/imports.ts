import { z } from 'zod';
import { isoDate, uuid } from './common.ts';

export const importFormats = ['csv', 'vcard'] as const;
export const importFormat = z.enum(importFormats);
export type ImportFormat = (typeof importFormats)[number];

export const onMatchPolicies = ['skip', 'update', 'create'] as const;
export const onMatchPolicy = z.enum(onMatchPolicies);
export type OnMatchPolicy = (typeof onMatchPolicies)[number];

export const importPresets = ['google', 'outlook', 'hubspot', 'rapport'] as const;
export type ImportPreset = (typeof importPresets)[number];

/**
 * Where a CSV column goes. Lists take an optional label (`phone:mobile`) or a group number
 * whose label comes from another column (`email#1` with `email#1.label`); address parts are
 * grouped the same way (`address.city:work`, `address#1.city`). `customFields.<key>` fills a
 * custom field. null (or "ignore") leaves the column out.
 */
export const scalarTargets = [
  'givenName',
  'middleName',
  'familyName',
  'prefix',
  'suffix',
  'nickname',
  'displayName',
  'pronouns',
  'jobTitle',
  'organization',
  'stage',
  'source',
  'birthday',
  'tags',
  'notes',
] as const;
export const listTargets = ['email', 'phone', 'website'] as const;
export const addressParts = ['street', 'city', 'region', 'postalCode', 'country'] as const;

export const mappingTargetPattern =
  /^(?:givenName|middleName|familyName|prefix|suffix|nickname|displayName|pronouns|jobTitle|organization|stage|source|birthday|tags|notes|ignore|(?:email|phone|website)(?:#\d{1,3}(?:\.label)?)?(?::[^:]{1,50})?|address(?:#\d{1,3})?\.(?:street|city|region|postalCode|country|label)(?::[^:]{1,50})?|customFields\.[^\s].{0,99})$/;

export const mappingTarget = z
  .string()
  .regex(
    mappingTargetPattern,
    'must be a person field such as givenName, email, phone:mobile, address.city:work or customFields.<key>',
  );

/** Column → target: a list in column order, or an object keyed by header. */
export const importMapping = z.union([
  z.array(mappingTarget.nullable()).max(1000),
  z.record(z.string().max(500), mappingTarget.nullable()),
]);
export type ImportMapping = z.infer<typeof importMapping>;

/** The non-file fields of `POST /api/v1/imports` (multipart form fields, as text). */
export const createImportFields = z.strictObject({
  format: importFormat.optional().describe('Detected from the file when left out.'),
  mapping: z
    .string()
    .max(1_000_000)
    .optional()
    .describe('JSON: a list of targets in column order, or {header: target}. Defaults to the suggestion.'),
  dryRun: z.enum(['true', 'false', '1', '0', 'on', 'off']).optional(),
  onMatch: onMatchPolicy.optional().describe('What to do with a row that matches a person: skip (default).'),
});

export const importProblem = z.object({ row: z.number().int().nullable(), message: z.string() });

export const importPreview = z.object({
  format: importFormat,
  encoding: z.string(),
  delimiter: z.string().nullable(),
  headers: z.array(z.string()),
  preset: z.enum(importPresets).nullable(),
  suggestedMapping: z.array(z.string().nullable()),
  sampleRows: z.array(z.array(z.string())),
  problems: z.array(importProblem),
});
export type ImportPreview = z.infer<typeof importPreview>;

export const importStatuses = ['uploading', 'queued', 'running', 'done', 'failed'] as const;
export const importRowError = z.object({
  row: z.number().int(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowError>;

export const importSummary = z.object({
  id: uuid,
  fileName: z.string(),
  format: importFormat,
  encoding: z.string().nullable(),
  preset: z.enum(importPresets).nullable(),
  dryRun: z.boolean(),
  onMatch: onMatchPolicy,
  status: z.enum(importStatuses),
  total: z.number().int().nullable().describe('Rows in the file; known once the import has read it all.'),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  warnings: z.number().int(),
  organizationsCreated: z.number().int(),
  progress: z.number().min(0).max(1).describe('Share of the file read so far.'),
  message: z.string().nullable(),
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
});
export type ImportSummary = z.infer<typeof importSummary>;

export const importDetail = importSummary.extend({
  errors: z.array(importRowError).describe('The first 100 problems; all of them in errors.csv.'),
});
export type ImportDetail = z.infer<typeof importDetail>;

export const listImportsQuery = z.strictObject({
  after: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
