const secretKeys = new Set([
  'password',
  'password_hash',
  'passwordHash',
  'token',
  'token_hash',
  'csrf_token',
  'csrfToken',
  'inviteUrl',
]);

/** Copies a value with every secret replaced: secrets never reach the audit log or stored replies. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        secretKeys.has(key) ? '[redacted]' : redactSecrets(inner),
      ]),
    );
  }
  return value;
}
