import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { audit } from '../../../platform/audit.ts';
import {
  type CustomerAuth,
  createPortalSession,
  deletePortalSession,
  portalCookie,
} from '../../../platform/auth/portal-sessions.ts';
import { recordHits } from '../../../platform/auth/rate-limit.ts';
import { hashSecret, newSecret } from '../../../platform/auth/secrets.ts';
import { publicUrl } from '../../../platform/config.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError } from '../../../platform/errors.ts';
import { customerAuditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { newId } from '../../../platform/ids.ts';
import { queueMail } from '../../../platform/mail/outbox.ts';
import type { MagicLinkInput, PortalSession } from '../../../shared/portal.ts';
import { findPersonByEmail } from '../customer.ts';
import { loadPortalWorkspaceById, resolvePortal } from '../site.ts';

export const magicLinkMinutes = 15;
const hour = 3600;

/** Rate-limit keys never hold the address itself: the counters are not personal data. */
const emailKeyOf = (email: string) => createHash('sha256').update(email).digest('hex').slice(0, 32);

/**
 * Sends a one-time sign-in link. Always answers the same way whether or not the email is known
 * (anyone may sign in: their record is created when they first submit something), so nothing
 * about who is a customer leaks. A filled honeypot gets the same answer and no mail.
 */
export async function requestMagicLink(ctx: RequestContext, input: MagicLinkInput): Promise<void> {
  const { db, config } = ctx.deps;
  const portal = await resolvePortal(ctx, input.workspace);
  if (input.website) return;
  const limits = [
    { key: `portal:link:ip:${ctx.ip}`, max: config.PORTAL_LINKS_PER_IP, windowSeconds: hour },
    {
      key: `portal:link:email:${portal.id}:${emailKeyOf(input.email)}`,
      max: config.PORTAL_LINKS_PER_EMAIL,
      windowSeconds: hour,
    },
  ];
  // Counted outside the transaction: a refused request still counts against its IP address.
  const counts = await recordHits(db, limits);
  for (const [index, limit] of limits.entries()) {
    if (counts[index]! > limit.max) {
      throw new AppError(
        'rate_limited',
        'Too many sign-in links were asked for. Wait a while, then use the newest link in your mail.',
        { retryAfterSeconds: 15 * 60 },
      );
    }
  }
  await db.transaction().execute(async (tx) => {
    const token = newSecret();
    const now = nowOf(ctx.deps);
    await tx
      .insertInto('portal_magic_links')
      .values({
        id: newId(),
        workspace_id: portal.id,
        email: input.email,
        token_hash: hashSecret(token),
        created_at: now,
        expires_at: new Date(now.getTime() + magicLinkMinutes * 60_000),
        ip: ctx.ip,
      })
      .execute();
    const link = `${publicUrl(config, ctx.origin)}/portal/${portal.slug}/sign-in#token=${token}`;
    await queueMail(tx, {
      workspaceId: portal.id,
      to: input.email,
      subject: `Your sign-in link for ${portal.site.title}`,
      text:
        `Hello,\n\nUse this link to sign in to ${portal.site.title}:\n\n${link}\n\n` +
        `It works once, for ${magicLinkMinutes} minutes, and only for ${input.email}.\n` +
        'If you did not ask for it, ignore this mail: nothing happens without the link.\n',
      entity: 'portal_magic_link',
    });
  });
}

/** The portal cookie: httpOnly, SameSite=Strict, and sent only to /portal paths. */
export function setPortalCookie(request: FastifyRequest, reply: FastifyReply, value: string, expires: Date) {
  reply.setCookie(portalCookie, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/portal',
    expires,
  });
}

export function clearPortalCookie(reply: FastifyReply) {
  reply.clearCookie(portalCookie, { path: '/portal' });
}

const badLink = () =>
  new AppError(
    'unauthenticated',
    'This sign-in link is not valid: it was used already, has expired, or was copied incompletely. Ask for a new one.',
  );

/** Exchanges a sign-in link for a portal session; the link works once and only until it expires. */
export async function redeemMagicLink(
  ctx: RequestContext,
  token: string,
): Promise<{ session: PortalSession; cookieValue: string; expiresAt: Date }> {
  const { db, config } = ctx.deps;
  return db.transaction().execute(async (tx) => {
    const now = nowOf(ctx.deps);
    // The update is the single-use check: of two concurrent redeems only one gets the row.
    const link = await tx
      .updateTable('portal_magic_links')
      .set({ used_at: now })
      .where('token_hash', '=', hashSecret(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['workspace_id', 'email'])
      .executeTakeFirst();
    if (!link) throw badLink();
    const portal = await loadPortalWorkspaceById(tx, link.workspace_id);
    if (!portal?.enabled) throw badLink();
    const person = await findPersonByEmail(tx, link.workspace_id, link.email);
    const created = await createPortalSession(tx, {
      workspaceId: link.workspace_id,
      email: link.email,
      personId: person?.id ?? null,
      ttlDays: config.PORTAL_SESSION_DAYS,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });
    const customer: CustomerAuth = {
      sessionId: created.sessionId,
      workspaceId: link.workspace_id,
      email: link.email,
      personId: person?.id ?? null,
      csrfToken: created.csrfToken,
    };
    await audit(tx, customerAuditContext(ctx, customer), {
      action: 'portal.signed_in',
      entity: person ? 'person' : 'portal_session',
      entityId: person?.id ?? null,
    });
    return {
      session: {
        email: link.email,
        personId: customer.personId,
        name: person?.display_name ?? null,
        csrfToken: created.csrfToken,
        site: portal.site,
      },
      cookieValue: created.cookieValue,
      expiresAt: created.expiresAt,
    };
  });
}

export async function loadPortalSession(ctx: RequestContext, customer: CustomerAuth): Promise<PortalSession> {
  const db = ctx.deps.db;
  const [portal, person] = await Promise.all([
    loadPortalWorkspaceById(db, customer.workspaceId),
    customer.personId
      ? db
          .selectFrom('people')
          .select('display_name')
          .where('id', '=', customer.personId)
          .where('deleted_at', 'is', null)
          .executeTakeFirst()
      : undefined,
  ]);
  if (!portal?.enabled) throw new AppError('not_found', 'This portal is closed.');
  return {
    email: customer.email,
    personId: customer.personId,
    name: person?.display_name ?? null,
    csrfToken: customer.csrfToken,
    site: portal.site,
  };
}

export async function signOut(ctx: RequestContext, customer: CustomerAuth): Promise<void> {
  await deletePortalSession(ctx.deps.db, customer.sessionId);
}

/** Removes expired sign-in links and portal sessions (called by the maintenance job). */
export async function purgeExpiredPortalRows(db: Queryable): Promise<void> {
  await db
    .deleteFrom('portal_magic_links')
    .where('expires_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute();
  await db.deleteFrom('portal_sessions').where('expires_at', '<', sql<Date>`now()`).execute();
}
