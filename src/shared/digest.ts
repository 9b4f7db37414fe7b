import { z } from 'zod';

/** The caller's weekly digest preference (GET/PUT /api/v1/me/digest). */
export const digestPreference = z.strictObject({
  enabled: z
    .boolean({ message: 'must be true or false' })
    .describe('Whether you receive the weekly digest email.'),
});
export type DigestPreference = z.infer<typeof digestPreference>;

/** What the caller would receive this week (GET /api/v1/digest/preview). */
export const digestPreview = z.object({
  week: z.string().describe('The Monday of the digest week (workspace time zone).'),
  subject: z.string(),
  text: z.string(),
  wouldReceive: z
    .boolean()
    .describe('False when the caller is opted out, or owns no goals and is not an executive.'),
  reason: z.string().nullable().describe('Why the caller would not receive it.'),
});
export type DigestPreview = z.infer<typeof digestPreview>;
