import { sql } from 'kysely';
import { type AuditContext, audit, systemActor } from '../../platform/audit.ts';
import { publicUrl } from '../../platform/config.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import {
  type AppDeps,
  type Auth,
  auditContext,
  nowOf,
  type RequestContext,
} from '../../platform/http/context.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import type { DigestPreference, DigestPreview } from '../../shared/digest.ts';
import { addDays, localToday } from '../goals/dates.ts';
import { workspaceTimeZone } from '../metrics/run.ts';
import { digestActivity } from './activity.ts';
import { composeDigest, type DigestRecipient, goalsFor } from './compose.ts';
import { evaluateDigestGoals } from './evaluate.ts';

/** The Monday of the week holding a local date. */
export function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((day + 6) % 7));
}

/** The instant of 07:00 on a local date in a time zone (the database knows the zone rules). */
export async function sevenAm(db: Queryable, date: string, timeZone: string): Promise<Date> {
  const result = await sql<{
    at: Date;
  }>`select ((${date}::date + time '07:00')::timestamp at time zone ${timeZone}) as at`.execute(db);
  return new Date(result.rows[0]!.at);
}

/** The digest week of `now` in a workspace, and when that week's digest is due. */
export async function digestWeek(db: Queryable, workspaceId: string, now: Date) {
  const timeZone = await workspaceTimeZone(db, workspaceId);
  const today = localToday(now, timeZone);
  const week = mondayOf(today);
  return { timeZone, today, week, dueAt: await sevenAm(db, week, timeZone) };
}

/** When the next digest falls due in any workspace: the earliest next Monday 07:00 local. */
export async function nextDigestAt(db: Queryable, now: Date): Promise<Date> {
  const zones = await sql<{ time_zone: string }>`
    select distinct coalesce(b.time_zone, 'UTC') as time_zone
    from workspaces w left join business_hours b on b.workspace_id = w.id`.execute(db);
  let next: Date | null = null;
  for (const { time_zone: timeZone } of zones.rows.length ? zones.rows : [{ time_zone: 'UTC' }]) {
    const week = mondayOf(localToday(now, timeZone));
    let due = await sevenAm(db, week, timeZone);
    if (due <= now) due = await sevenAm(db, addDays(week, 7), timeZone);
    if (!next || due < next) next = due;
  }
  return next!;
}

async function recipients(
  db: Queryable,
  workspaceId: string,
): Promise<(DigestRecipient & { optOut: boolean })[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role', 'digest_opt_out'])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    optOut: row.digest_opt_out,
  }));
}

export type DigestOutcome = 'not_due' | 'already_sent' | { sent: number; goals: number };

/**
 * Sends one workspace's digest for the week of `now` if it is due (Monday 07:00 local has
 * passed) and was not sent yet: evaluates and stores the goals' statuses, then queues one mail
 * per goal owner (their goals) and per executive (all goals). One transaction; audited as the system.
 */
export async function sendWorkspaceDigest(
  deps: AppDeps,
  workspaceId: string,
  now: Date,
): Promise<DigestOutcome> {
  const { today, week, dueAt } = await digestWeek(deps.db, workspaceId, now);
  if (now < dueAt) return 'not_due';
  return deps.db.transaction().execute(async (tx) => {
    const claimed =
      await sql`insert into digest_runs (workspace_id, week, sent_at) values (${workspaceId}, ${week}, ${now})
      on conflict do nothing returning week`.execute(tx);
    if (claimed.rows.length === 0) return 'already_sent';
    const context: AuditContext = { actor: systemActor, workspaceId, requestId: null };
    const entries = await evaluateDigestGoals(tx, workspaceId, today, now, context);
    const activity = await digestActivity(tx, workspaceId, now);
    const baseUrl = publicUrl(deps.config);
    const sentTo: string[] = [];
    for (const user of await recipients(tx, workspaceId)) {
      if (user.optOut) continue;
      if (user.role !== 'executive' && goalsFor(user, entries).length === 0) continue;
      const mail = composeDigest(user, week, entries, activity, baseUrl);
      await queueMail(tx, { workspaceId, to: user.email, ...mail, entity: 'digest', entityId: user.id });
      sentTo.push(user.id);
    }
    await sql`update digest_runs set recipients = ${sentTo.length} where workspace_id = ${workspaceId} and week = ${week}`.execute(
      tx,
    );
    await audit(tx, context, {
      action: 'digest.sent',
      entity: 'digest',
      after: {
        week,
        goals: entries.length,
        statusChanges: entries.filter((entry) => entry.changed).length,
        recipients: sentTo,
      },
    });
    return { sent: sentTo.length, goals: entries.length };
  });
}

/** Runs every workspace's digest; one failing workspace does not stop the others. */
export async function sendDueDigests(deps: AppDeps, now = nowOf(deps)) {
  const workspaces = await deps.db.selectFrom('workspaces').select('id').orderBy('id').execute();
  const failures: string[] = [];
  let sent = 0;
  for (const { id } of workspaces) {
    try {
      const outcome = await sendWorkspaceDigest(deps, id, now);
      if (typeof outcome === 'object') sent += outcome.sent;
    } catch (error) {
      failures.push(`${id}: ${(error as Error).message}`);
    }
  }
  return { sent, failures };
}

/** What the caller would receive this week, computed now, without writing anything. */
export async function previewDigest(ctx: RequestContext, auth: Auth): Promise<DigestPreview> {
  const db = ctx.deps.db;
  const now = nowOf(ctx.deps);
  const { today, week } = await digestWeek(db, auth.workspaceId, now);
  const user = (await recipients(db, auth.workspaceId)).find((row) => row.id === auth.userId);
  if (!user) throw notFound('user');
  const entries = await evaluateDigestGoals(db, auth.workspaceId, today, now, null);
  const activity = await digestActivity(db, auth.workspaceId, now);
  const mail = composeDigest(user, week, entries, activity, publicUrl(ctx.deps.config, ctx.origin));
  const reason = user.optOut
    ? 'You turned the weekly digest off (My account).'
    : user.role !== 'executive' && goalsFor(user, entries).length === 0
      ? 'You own no current goals and are not an executive.'
      : null;
  return { week, ...mail, wouldReceive: reason === null, reason };
}

export async function getDigestPreference(db: Queryable, auth: Auth): Promise<DigestPreference> {
  const row = await db
    .selectFrom('users')
    .select('digest_opt_out')
    .where('workspace_id', '=', auth.workspaceId)
    .where('id', '=', auth.userId)
    .executeTakeFirst();
  if (!row) throw notFound('user');
  return { enabled: !row.digest_opt_out };
}

export async function setDigestPreference(
  ctx: RequestContext,
  auth: Auth,
  input: DigestPreference,
): Promise<DigestPreference> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await getDigestPreference(tx, auth);
    if (before.enabled === input.enabled) return before;
    await tx
      .updateTable('users')
      .set({ digest_opt_out: !input.enabled, updated_at: nowOf(ctx.deps) })
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', '=', auth.userId)
      .execute();
    await audit(tx, auditContext(ctx), {
      action: 'user.digest_preference_changed',
      entity: 'user',
      entityId: auth.userId,
      before,
      after: input,
    });
    return input;
  });
}
