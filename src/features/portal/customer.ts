import { sql } from 'kysely';
import type { CustomerAuth } from '../../platform/auth/portal-sessions.ts';
import { assertUnderLimits, recordHit } from '../../platform/auth/rate-limit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { customerAuditContext, type RequestContext } from '../../platform/http/context.ts';
import { createReporter } from '../items/create-checks.ts';

/** The live person of a workspace who has this (lower-cased) email, oldest first. */
export async function findPersonByEmail(
  db: Queryable,
  workspaceId: string,
  email: string,
): Promise<{ id: string; display_name: string } | null> {
  const row = await db
    .selectFrom('people')
    .select(['id', 'display_name'])
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`email_keys @> array[${email}]::text[]`)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * The signed-in customer's person id, creating their record (a prospect named after their email)
 * the first time they submit something. Runs in the caller's transaction; every portal session
 * of that email in the workspace is linked to the record.
 */
export async function ensurePerson(
  tx: Queryable,
  ctx: RequestContext,
  customer: CustomerAuth,
): Promise<string> {
  if (customer.personId) return customer.personId;
  const existing = await findPersonByEmail(tx, customer.workspaceId, customer.email);
  const personId =
    existing?.id ??
    (
      await createReporter(
        tx,
        customer.workspaceId,
        customerAuditContext(ctx, customer).actor,
        ctx.requestId,
        {
          name: undefined,
          email: customer.email,
        },
      )
    ).id;
  await tx
    .updateTable('portal_sessions')
    .set({ person_id: personId })
    .where('workspace_id', '=', customer.workspaceId)
    .where('email', '=', customer.email)
    .execute();
  customer.personId = personId;
  return personId;
}

/**
 * Limits what one customer may submit (items, messages, comments, intents, votes) per hour, so a
 * stolen or scripted session cannot flood the register.
 */
export async function limitSubmissions(
  db: Queryable,
  ctx: RequestContext,
  customer: CustomerAuth,
): Promise<void> {
  const limit = {
    key: `portal:submit:${customer.workspaceId}:${customer.sessionId}`,
    max: ctx.deps.config.PORTAL_SUBMISSIONS_PER_HOUR,
    windowSeconds: 3600,
  };
  await assertUnderLimits(
    db,
    [limit],
    'You have sent a lot in the last hour. Please wait a while and try again.',
  );
  await recordHit(db, limit);
}

export const notYours = (what: string) => new AppError('not_found', `${what} was not found.`);
