import { z } from 'zod';
import { listPeopleQuery } from './people.ts';

export const exportFormats = ['csv', 'vcard', 'json'] as const;

/** The columns of a people CSV export, in order; `customFields.<key>` columns follow them. */
export const personExportColumns = [
  'id',
  'displayName',
  'givenName',
  'familyName',
  'prefix',
  'suffix',
  'nickname',
  'pronouns',
  'jobTitle',
  'stage',
  'source',
  'organization',
  'organizationId',
  'ownerId',
  'birthday',
  'emails',
  'phones',
  'websites',
  'address.street',
  'address.city',
  'address.region',
  'address.postalCode',
  'address.country',
  'tags',
  'notes',
  'lastContactedAt',
  'nextFollowUpAt',
  'createdAt',
  'updatedAt',
] as const;
export type PersonExportColumn = (typeof personExportColumns)[number];

/** `GET /api/v1/people/export`: the list's filters and sort (no paging), a format and the CSV columns. */
export const exportPeopleQuery = listPeopleQuery.omit({ after: true, limit: true }).extend({
  format: z.enum(exportFormats).default('csv'),
  columns: z
    .string()
    .max(10_000)
    .optional()
    .describe(
      `CSV only: comma-separated, among ${personExportColumns.join(', ')} and customFields.<key>. Default: all, with every custom field.`,
    ),
});
export type ExportPeopleQuery = z.infer<typeof exportPeopleQuery>;
