import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { redactSecrets } from '../redact.ts';

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * `Idempotency-Key` on POST: the first request with a key runs and its response is stored; a
 * repeat with the same key and body gets the stored response; a repeat with another body, or
 * while the first is still running, is refused.
 */
export async function claimIdempotencyKey(
  db: Db,
  input: { actorId: string; workspaceId: string; key: string; method: string; url: string; body: unknown },
): Promise<StoredResponse | 'claimed'> {
  if (!/^[\x21-\x7e]{1,200}$/.test(input.key)) {
    throw new AppError('bad_request', 'Idempotency-Key must be 1–200 visible ASCII characters.');
  }
  const requestHash = createHash('sha256')
    .update(`${input.method} ${input.url}\n${JSON.stringify(input.body ?? null)}`)
    .digest('hex');
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      actor_id: input.actorId,
      key: input.key,
      workspace_id: input.workspaceId,
      request_hash: requestHash,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return 'claimed';
  const existing = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('actor_id', '=', input.actorId)
    .where('key', '=', input.key)
    .executeTakeFirstOrThrow();
  if (existing.request_hash !== requestHash) {
    throw new AppError(
      'idempotency_mismatch',
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    );
  }
  if (existing.status_code === null) {
    throw new AppError(
      'conflict',
      'A request with this Idempotency-Key is still being processed. Retry shortly.',
    );
  }
  return { status: existing.status_code, body: existing.response };
}

/**
 * The stored reply has its secrets redacted: a secret shown once (a new API token, an invite
 * link) is not kept in the database, so a replay says "[redacted]" instead of repeating it.
 */
export async function storeIdempotentResponse(
  db: Db,
  actorId: string,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: response.status, response: JSON.stringify(redactSecrets(response.body ?? null)) })
    .where('actor_id', '=', actorId)
    .where('key', '=', key)
    .execute();
}

export async function releaseIdempotencyKey(db: Db, actorId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('actor_id', '=', actorId).where('key', '=', key).execute();
}
