import { z } from 'zod';
import { isoDate, pageQuery, uuid } from './common.ts';

export const notificationTypes = [
  'assignment',
  'mention',
  'customer_reply',
  'sla_warning',
  'sla_breach',
  'escalation',
  'problem_fixed',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export const notification = z.object({
  id: uuid,
  type: z.enum(notificationTypes),
  itemId: uuid.nullable(),
  problemId: uuid.nullable(),
  title: z.string(),
  body: z.string(),
  readAt: isoDate.nullable(),
  createdAt: isoDate,
});
export type Notification = z.infer<typeof notification>;
export const listNotificationsQuery = pageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
export const markReadInput = z.strictObject({
  ids: z.array(uuid).max(500).optional().describe('Omit to mark every notification read.'),
});
export const unreadCount = z.object({ unread: z.number().int() });
