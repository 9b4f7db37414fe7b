import { z } from 'zod';

export const uuid = z.uuid({ message: 'must be a UUID such as 0190a6c4-5b1e-7000-8000-000000000000' });
export const idParams = z.strictObject({ id: uuid });

export const email = z
  .string()
  .trim()
  .max(254, 'Email must be at most 254 characters long.')
  .pipe(z.email({ message: 'must be an email address such as ana@example.com' }))
  .transform((value) => value.toLowerCase());

export const personName = z
  .string()
  .trim()
  .min(1, 'Name is required.')
  .max(200, 'Name must be at most 200 characters long.');

export const pageQuery = z.strictObject({
  after: z.string().max(200).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A page of a list: `next` is the cursor of the following page, null on the last one. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next: z.string().nullable().describe('Pass as `after` to get the next page; null on the last page.'),
  });
}

export const isoDate = z.iso.datetime({ offset: true });
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof problem>;

/** The version of a record the client read; updates with a stale one get 409. */
export const versionField = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('The version you read; required unless sent as the If-Match header.');
