import { z } from 'zod';
import { email, isoDate, personName, uuid } from './common.ts';
import { passwordSchema } from './passwords.ts';
import { roles } from './roles.ts';

export const role = z.enum(roles);

export const setupStatus = z.object({ needed: z.boolean() });
export const setupInput = z.strictObject({
  workspaceName: z.string().trim().min(1, 'Workspace name is required.').max(200),
  name: personName,
  email,
  password: passwordSchema,
});
export type SetupInput = z.infer<typeof setupInput>;

export const loginInput = z.strictObject({
  email,
  password: z.string().min(1, 'Password is required.').max(200),
});
export type LoginInput = z.infer<typeof loginInput>;

export const user = z.object({
  id: uuid,
  email: z.string(),
  name: z.string(),
  role,
  status: z.enum(['invited', 'active', 'disabled']),
  createdAt: isoDate,
  lastLoginAt: isoDate.nullable(),
});
export type User = z.infer<typeof user>;

export const me = z.object({
  user,
  workspace: z.object({ id: uuid, name: z.string() }),
  csrfToken: z
    .string()
    .nullable()
    .describe('Send as the X-CSRF-Token header on writes made with the session cookie.'),
  via: z.enum(['session', 'token']),
});
export type Me = z.infer<typeof me>;

export const passwordChangeInput = z.strictObject({
  currentPassword: z.string().min(1, 'Current password is required.').max(200),
  newPassword: passwordSchema,
});

export const inviteUserInput = z.strictObject({
  email,
  name: personName,
  role,
});
export type InviteUserInput = z.infer<typeof inviteUserInput>;
export const invitedUser = z.object({
  user,
  inviteUrl: z
    .string()
    .describe('The link sent by email; shown to the admin in case mail is not configured.'),
});

export const updateUserInput = z
  .strictObject({
    name: personName.optional(),
    role: role.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, {
    message: 'Give at least one of name, role, disabled.',
  });
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export const inviteTokenParams = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be the token from the invite link'),
});
export const inviteInfo = z.object({ email: z.string(), name: z.string(), workspaceName: z.string() });
export const acceptInviteInput = z.strictObject({ name: personName.optional(), password: passwordSchema });

export const apiToken = z.object({
  id: uuid,
  name: z.string(),
  prefix: z.string().describe('The first characters of the token, to recognise it.'),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
});
export type ApiToken = z.infer<typeof apiToken>;
export const createTokenInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'Token name is required.')
    .max(100, 'Token name must be at most 100 characters.'),
});
export const createdToken = apiToken.extend({
  token: z.string().describe('The secret, shown only once. Use it as `Authorization: Bearer <token>`.'),
});
