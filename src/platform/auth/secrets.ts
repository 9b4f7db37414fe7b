import { createHash, randomBytes } from 'node:crypto';

/** A random secret for links, cookies and tokens (base64url, 256 bits). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are stored only as their SHA-256: a database leak does not reveal usable ones. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
