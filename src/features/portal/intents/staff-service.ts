import { audit } from '../../../platform/audit.ts';
import { publicUrl } from '../../../platform/config.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError } from '../../../platform/errors.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { checkCursor, toPage } from '../../../platform/http/pagination.ts';
import { newId } from '../../../platform/ids.ts';
import { queueMail } from '../../../platform/mail/outbox.ts';
import type {
  IntentLead,
  IntentLeadDetail,
  IntentListQuery,
  IntentMessageInput,
} from '../../../shared/portal-intents.ts';
import { likeEscape } from '../../people/keyset.ts';
import { loadPortalWorkspaceById } from '../site.ts';
import { checkContact, recordContact } from '../terms/enforce.ts';
import { type IntentRow, intentFields, loadMessages, primaryEmailOf, selectIntents } from './queries.ts';

const leadNotFound = () => new AppError('not_found', 'The intentcast was not found.');

function toLead(row: IntentRow): IntentLead {
  return {
    ...intentFields(row),
    person: { id: row.person_id, name: row.person_name },
    messagesCount: row.messages_count,
  };
}

/** Leads newest first, by status and words in what they want or the person's name. */
export async function listLeads(ctx: RequestContext, auth: Auth, query: IntentListQuery) {
  const after = checkCursor(query.after);
  let select = selectIntents(ctx.deps.db, auth.workspaceId);
  if (query.status) select = select.where('i.status', '=', query.status);
  if (query.q) {
    const pattern = `%${likeEscape(query.q)}%`;
    select = select.where((eb) =>
      eb.or([eb('i.what', 'ilike', pattern), eb('p.display_name', 'ilike', pattern)]),
    );
  }
  if (after) select = select.where('i.id', '<', after);
  const rows = await select
    .orderBy('i.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return toPage(rows, query.limit, toLead);
}

async function loadLead(
  db: Queryable,
  workspaceId: string,
  id: string,
  now: Date,
): Promise<IntentLeadDetail> {
  const row = await selectIntents(db, workspaceId)
    .select(primaryEmailOf.as('person_email'))
    .where('i.id', '=', id)
    .executeTakeFirst();
  if (!row) throw leadNotFound();
  const [messages, contact] = await Promise.all([
    loadMessages(db, workspaceId, [id]),
    checkContact(db, { workspaceId, personId: row.person_id, channel: 'email', purpose: 'service', now }),
  ]);
  const lead = toLead(row);
  return {
    ...lead,
    person: { ...lead.person, email: row.person_email },
    messages: messages.get(id) ?? [],
    emailAllowed: Boolean(row.person_email) && contact.allowed,
  };
}

export function getLead(ctx: RequestContext, auth: Auth, id: string) {
  return loadLead(ctx.deps.db, auth.workspaceId, id, nowOf(ctx.deps));
}

async function lockOpenLead(tx: Queryable, workspaceId: string, id: string) {
  const row = await tx
    .selectFrom('intents')
    .select(['id', 'status', 'what'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw leadNotFound();
  if (row.status !== 'open') {
    throw new AppError('conflict', `This intentcast is ${row.status}; it takes no more answers.`);
  }
  return row;
}

/**
 * Answers a lead: the answer shows in the customer's portal, and when their terms allow email for
 * service messages they are told by email (through the outbox) that an answer is waiting.
 */
export async function respondToLead(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: IntentMessageInput,
): Promise<IntentLeadDetail> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const intent = await lockOpenLead(tx, auth.workspaceId, id);
    const now = nowOf(ctx.deps);
    const messageId = newId();
    await tx
      .insertInto('intent_responses')
      .values({
        id: messageId,
        workspace_id: auth.workspaceId,
        intent_id: id,
        user_id: auth.userId,
        body: input.body,
        created_at: now,
      })
      .execute();
    await tx.updateTable('intents').set({ updated_at: now }).where('id', '=', id).execute();
    const lead = await loadLead(tx, auth.workspaceId, id, now);
    let outboxId: string | null = null;
    if (lead.emailAllowed && lead.person.email) {
      const portal = await loadPortalWorkspaceById(tx, auth.workspaceId);
      const title = portal?.site.title ?? 'our portal';
      const link = `${publicUrl(ctx.deps.config, ctx.origin)}/portal/${portal?.slug ?? ''}/looking-for`;
      outboxId = await queueMail(tx, {
        workspaceId: auth.workspaceId,
        to: lead.person.email,
        subject: `You have an answer about: ${truncate(intent.what, 120)}`,
        text:
          `Hello,\n\n${title} answered what you are looking for:\n\n"${truncate(intent.what, 500)}"\n\n` +
          `Read the answer and reply in the portal:\n\n${link}\n`,
        entity: 'intent',
        entityId: id,
      });
      await recordContact(tx, {
        workspaceId: auth.workspaceId,
        personId: lead.person.id,
        channel: 'email',
        purpose: 'service',
        outboxId,
        now,
      });
    }
    await audit(tx, auditContext(ctx), {
      action: 'intent.responded',
      entity: 'intent',
      entityId: id,
      after: { messageId, body: input.body, emailed: outboxId !== null },
    });
    return lead;
  });
}

export async function closeLead(ctx: RequestContext, auth: Auth, id: string): Promise<IntentLeadDetail> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    await lockOpenLead(tx, auth.workspaceId, id);
    await tx
      .updateTable('intents')
      .set({ status: 'closed', updated_at: nowOf(ctx.deps) })
      .where('id', '=', id)
      .execute();
    await audit(tx, auditContext(ctx), {
      action: 'intent.closed',
      entity: 'intent',
      entityId: id,
      before: { status: 'open' },
      after: { status: 'closed' },
    });
    return loadLead(tx, auth.workspaceId, id, nowOf(ctx.deps));
  });
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
