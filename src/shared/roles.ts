export const roles = ['admin', 'manager', 'agent', 'executive'] as const;
export type Role = (typeof roles)[number];
