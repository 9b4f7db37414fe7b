import { sql } from 'kysely';
import { audit } from '../../../platform/audit.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { notFound } from '../../../platform/errors.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { newId } from '../../../platform/ids.ts';
import { queueMail } from '../../../platform/mail/outbox.ts';
import type { PersonMessageInput, PersonMessageSent, PersonTerms } from '../../../shared/portal-terms.ts';
import { type ContactPurpose, contactPurposes } from '../../../shared/portal-words.ts';
import { insertInteraction, setPeople, setStaff, touchLastContacted } from '../../interactions/queries.ts';
import { unprocessable } from '../../people/normalize.ts';
import { findPerson } from '../../people/queries.ts';
import { checkContact, recordContact, refusedByTerms } from './enforce.ts';
import { currentTerms, termsVersions } from './queries.ts';

async function contactStats(db: Queryable, workspaceId: string, personId: string, now: Date) {
  const since = new Date(now.getTime() - 365 * 86_400_000);
  const rows = await db
    .selectFrom('contact_log')
    .select(['purpose', sql<string>`count(*)`.as('count'), sql<Date>`max(created_at)`.as('last')])
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .where('created_at', '>', since)
    .groupBy('purpose')
    .execute();
  const counts = Object.fromEntries(contactPurposes.map((purpose) => [purpose, 0])) as Record<
    ContactPurpose,
    number
  >;
  const last = Object.fromEntries(contactPurposes.map((purpose) => [purpose, null])) as Record<
    ContactPurpose,
    string | null
  >;
  for (const row of rows) {
    counts[row.purpose] = Number(row.count);
    last[row.purpose] = new Date(row.last).toISOString();
  }
  return { counts, last };
}

/** A person's terms for staff: in force, every version, and what was sent in the last year. */
export async function personTermsOverview(
  ctx: RequestContext,
  auth: Auth,
  personId: string,
): Promise<PersonTerms> {
  const db = ctx.deps.db;
  if (!(await findPerson(db, auth.workspaceId, personId))) throw notFound('The person');
  const [current, history, stats] = await Promise.all([
    currentTerms(db, auth.workspaceId, personId),
    termsVersions(db, auth.workspaceId, personId),
    contactStats(db, auth.workspaceId, personId, nowOf(ctx.deps)),
  ]);
  return { current, history, contactsLast365Days: stats.counts, lastContactAt: stats.last };
}

interface EmailEntry {
  value?: unknown;
  primary?: unknown;
}

/** The given address when it is one of theirs, else their primary email (422 when none fits). */
function recipientOf(emails: unknown[], to: string | undefined): string {
  const entries = (emails as EmailEntry[]).filter((entry) => typeof entry?.value === 'string');
  if (to) {
    const match = entries.find((entry) => (entry.value as string).toLowerCase() === to);
    if (!match)
      throw unprocessable([
        { path: 'body.to', message: 'is not one of the email addresses of this person.' },
      ]);
    return match.value as string;
  }
  const primary = entries.find((entry) => entry.primary === true) ?? entries[0];
  if (!primary) {
    throw unprocessable([
      { path: 'body.to', message: 'this person has no email address: add one to their record first.' },
    ]);
  }
  return primary.value as string;
}

/**
 * Emails a person a one-off message (news, marketing, research…) under their terms: refused with
 * 409 and the reason when their terms say no, with nothing queued. Otherwise the mail is queued,
 * counted in the contact log and shown on their timeline as an outbound email.
 */
export async function sendPersonMessage(
  ctx: RequestContext,
  auth: Auth,
  personId: string,
  input: PersonMessageInput,
): Promise<PersonMessageSent> {
  const now = nowOf(ctx.deps);
  const workspaceId = auth.workspaceId;
  return ctx.deps.db.transaction().execute(async (tx) => {
    // Locked: two sends at once cannot both slip under a frequency limit.
    const person = await findPerson(tx, workspaceId, personId, true);
    if (!person) throw notFound('The person');
    const to = recipientOf(person.emails, input.to);
    const check = await checkContact(tx, {
      workspaceId,
      personId,
      channel: 'email',
      purpose: input.purpose,
      now,
    });
    if (!check.allowed) throw refusedByTerms(check.reason);
    const outboxId = await queueMail(tx, {
      workspaceId,
      to,
      subject: input.subject,
      text: input.body,
      entity: 'person',
      entityId: personId,
    });
    await recordContact(tx, {
      workspaceId,
      personId,
      channel: 'email',
      purpose: input.purpose,
      outboxId,
      now,
    });
    const interactionId = newId();
    await insertInteraction(tx, {
      id: interactionId,
      workspace_id: workspaceId,
      type: 'email',
      channel: 'email',
      direction: 'outbound',
      occurred_at: now,
      summary: `${input.subject}\n\n${input.body}`.slice(0, 20000),
      outcome: null,
      organization_id: person.organization_id,
      created_by: auth.userId,
    });
    await setPeople(tx, workspaceId, interactionId, now, [personId]);
    await setStaff(tx, workspaceId, interactionId, [auth.userId]);
    await touchLastContacted(tx, workspaceId, [personId], now);
    await audit(tx, auditContext(ctx), {
      action: 'person.messaged',
      entity: 'person',
      entityId: personId,
      after: { purpose: input.purpose, to, subject: input.subject, outboxId, interactionId },
    });
    return { outboxId, interactionId, to, purpose: input.purpose };
  });
}
