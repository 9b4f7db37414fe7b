import { type Role, roles } from './roles.ts';

const everyone = roles;

/**
 * The one place that says which role may do what. Every route names one of these permissions
 * (or is explicitly public); the web app reads the same table to show only what a user may use.
 */
export const permissions = {
  'me.read': everyone,
  'me.update': everyone,
  'tokens.manage': everyone,
  'users.read': ['admin', 'manager', 'executive'],
  'users.manage': ['admin'],
  'audit.read': ['admin'],
  'outbox.read': ['admin'],
  'jobs.manage': ['admin'],
  'people.read': everyone,
  'people.write': ['admin', 'manager', 'agent'],
  'people.delete': ['admin', 'manager'],
  'organizations.read': everyone,
  'organizations.write': ['admin', 'manager', 'agent'],
  'organizations.delete': ['admin', 'manager'],
  'interactions.read': everyone,
  'interactions.write': ['admin', 'manager', 'agent'],
  'relationships.read': everyone,
  'relationships.write': ['admin', 'manager', 'agent'],
  'people.import': ['admin', 'manager'],
  'people.export': ['admin', 'manager', 'executive'],
  'people.merge': ['admin', 'manager'],
  'customFields.manage': ['admin'],
  'views.read': everyone,
  'views.write': everyone,
  'workspace.manage': ['admin'],
  'items.read': everyone,
  'items.write': everyone,
  'items.assign': ['admin', 'manager', 'agent'],
  'items.merge': ['admin', 'manager', 'agent'],
  'problems.read': everyone,
  'problems.write': ['admin', 'manager', 'agent'],
  'problems.fix': ['admin', 'manager'],
  'listening.configure': ['admin', 'manager'],
  'notifications.read': everyone,
  'portal.read': everyone,
  'portal.content': ['admin', 'manager', 'agent'],
  'portal.configure': ['admin'],
  'erasure.decide': ['admin'],
  'metrics.read': everyone,
  'goals.write': ['admin', 'manager', 'executive'],
  'costs.configure': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}
