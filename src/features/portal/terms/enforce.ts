import type { Queryable } from '../../../platform/db/database.ts';
import { AppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import type { TermsRecord } from '../../../shared/portal.ts';
import type { ContactChannel, ContactFrequency, ContactPurpose } from '../../../shared/portal-words.ts';
import { currentTerms } from './queries.ts';

export type ContactCheck = { allowed: true } | { allowed: false; reason: string };

export interface ContactRequest {
  workspaceId: string;
  personId: string;
  channel: ContactChannel;
  purpose: ContactPurpose;
  now: Date;
}

/** "At most once a …" looks back this many days. */
export const frequencyDays: Record<Exclude<ContactFrequency, 'any'>, number> = {
  weekly: 7,
  monthly: 30,
  quarterly: 91,
  yearly: 365,
};

const channelWords: Record<ContactChannel, string> = {
  email: 'email',
  phone: 'phone',
  sms: 'SMS',
  post: 'post',
};
const purposeWords: Record<ContactPurpose, string> = {
  service: 'service messages',
  product_news: 'product news',
  marketing: 'marketing messages',
  research: 'research and survey requests',
};
const frequencyWords: Record<Exclude<ContactFrequency, 'any'>, string> = {
  weekly: 'once a week',
  monthly: 'once a month',
  quarterly: 'once a quarter',
  yearly: 'once a year',
};

const day = (at: Date, withYear = true) =>
  at.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  });

/** "(terms v3, set 2 Nov 2026)": which version of the customer's terms says so. */
function source(record: TermsRecord): string {
  return record.setAt ? `terms v${record.version}, set ${day(new Date(record.setAt))}` : 'no terms set yet';
}

async function personName(db: Queryable, workspaceId: string, personId: string): Promise<string> {
  const row = await db
    .selectFrom('people')
    .select(['given_name', 'display_name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', personId)
    .executeTakeFirst();
  return row?.given_name?.trim() || row?.display_name || 'This person';
}

/** The newest message of a purpose sent to the person since `since`, if any. */
async function lastContactSince(db: Queryable, request: ContactRequest, since: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('contact_log')
    .select('created_at')
    .where('workspace_id', '=', request.workspaceId)
    .where('person_id', '=', request.personId)
    .where('purpose', '=', request.purpose)
    .where('created_at', '>', since)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.created_at) : null;
}

/**
 * May Rapport contact this person on this channel for this purpose now? Their newest terms decide
 * (the defaults when they set none); the reason is a sentence for staff. Service messages obey
 * the channel choice but never a frequency limit. One query when allowed (item mail is a hot path).
 */
export async function checkContact(db: Queryable, request: ContactRequest): Promise<ContactCheck> {
  const record = await currentTerms(db, request.workspaceId, request.personId);
  const { terms } = record;
  if (!terms.channels[request.channel]) {
    const name = await personName(db, request.workspaceId, request.personId);
    return {
      allowed: false,
      reason: record.setAt
        ? `${name} does not want to be contacted by ${channelWords[request.channel]} (${source(record)}).`
        : `${name} has not agreed to be contacted by ${channelWords[request.channel]} (${source(record)}: by default only email, phone and post are allowed).`,
    };
  }
  if (!terms.purposes[request.purpose]) {
    const name = await personName(db, request.workspaceId, request.personId);
    return {
      allowed: false,
      reason: record.setAt
        ? `${name} refused ${purposeWords[request.purpose]} (${source(record)}).`
        : `${name} has not agreed to ${purposeWords[request.purpose]} (${source(record)}: by default only service messages are allowed).`,
    };
  }
  if (request.purpose === 'service') return { allowed: true };
  const frequency = terms.frequency[request.purpose];
  if (frequency === 'any') return { allowed: true };
  const days = frequencyDays[frequency];
  const since = new Date(request.now.getTime() - days * 86_400_000);
  const last = await lastContactSince(db, request, since);
  if (!last) return { allowed: true };
  const next = new Date(last.getTime() + days * 86_400_000);
  const name = await personName(db, request.workspaceId, request.personId);
  return {
    allowed: false,
    reason:
      `${name} allows ${purposeWords[request.purpose]} at most ${frequencyWords[frequency]}; ` +
      `the last was sent on ${day(last, false)}, so the next may go from ${day(next)} (${source(record)}).`,
  };
}

/** The 409 staff see when the customer's terms refuse a message; nothing was sent. */
export const refusedByTerms = (reason: string) => new AppError('conflict', reason);

/** Records what was sent to whom (the frequency limits count these). In the sending transaction. */
export async function recordContact(
  tx: Queryable,
  contact: {
    workspaceId: string;
    personId: string;
    channel: ContactChannel;
    purpose: ContactPurpose;
    outboxId: string | null;
    now?: Date;
  },
): Promise<void> {
  await tx
    .insertInto('contact_log')
    .values({
      id: newId(),
      workspace_id: contact.workspaceId,
      person_id: contact.personId,
      channel: contact.channel,
      purpose: contact.purpose,
      outbox_id: contact.outboxId,
      ...(contact.now ? { created_at: contact.now } : {}),
    })
    .execute();
}
