import { z } from 'zod';
import { isoDate, uuid } from './common.ts';
import { organization } from './organizations.ts';
import { person } from './people.ts';

export const listDeletedQuery = z.strictObject({
  after: z.string().max(300).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListDeletedQuery = z.infer<typeof listDeletedQuery>;

const deletion = {
  deletedAt: isoDate,
  restorableUntil: isoDate.describe('After this time the record is purged and cannot be restored.'),
  deletedBy: z
    .object({ id: uuid, name: z.string() })
    .nullable()
    .describe('The staff user who deleted it; null when unknown (a system write, or the user is gone).'),
};

export const deletedPerson = person.extend(deletion);
export type DeletedPerson = z.infer<typeof deletedPerson>;

export const deletedOrganization = organization.extend({
  ...deletion,
  detachedPeople: z
    .number()
    .int()
    .describe('People the deletion detached that still have no organization: restoring re-links them.'),
});
export type DeletedOrganization = z.infer<typeof deletedOrganization>;
