import type { z } from 'zod';
import { audit } from '../../../platform/audit.ts';
import type { CustomerAuth } from '../../../platform/auth/portal-sessions.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError } from '../../../platform/errors.ts';
import { customerAuditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { checkCursor } from '../../../platform/http/pagination.ts';
import { newId } from '../../../platform/ids.ts';
import type { pageQuery } from '../../../shared/common.ts';
import type {
  CreateIntentInput,
  CustomerIntent,
  CustomerIntentPage,
  IntentMessageInput,
} from '../../../shared/portal-intents.ts';
import { contactChannelLabels } from '../../../shared/portal-words.ts';
import { ensurePerson, limitSubmissions, notYours } from '../customer.ts';
import { intentFields, loadMessages, selectIntents } from './queries.ts';
import { allowedIntentChannels, termsInForce } from './terms.ts';

type PageQuery = z.output<typeof pageQuery>;

const fieldError = (field: string, message: string) =>
  new AppError('validation_failed', `${field}: ${message}`, {
    errors: [{ path: `body.${field}`, message }],
  });

/** Checks that need no database: the budget range and the date. */
function checkIntentInput(ctx: RequestContext, input: CreateIntentInput): void {
  if (input.budgetMin != null && input.budgetMax != null && input.budgetMin > input.budgetMax) {
    throw fieldError('budgetMax', 'must be at least the lowest budget (budgetMin)');
  }
  if (input.wantedBy) {
    // One day of grace: a customer west of UTC may still be on the previous day.
    const earliest = new Date(nowOf(ctx.deps).getTime() - 24 * 3600_000).toISOString().slice(0, 10);
    if (input.wantedBy < earliest) throw fieldError('wantedBy', 'must be today or later');
  }
}

async function loadOwnIntents(
  db: Queryable,
  workspaceId: string,
  personId: string,
  options: { id?: string; after?: string; limit: number },
): Promise<CustomerIntent[]> {
  let query = selectIntents(db, workspaceId).where('i.person_id', '=', personId);
  if (options.id) query = query.where('i.id', '=', options.id);
  if (options.after) query = query.where('i.id', '<', options.after);
  const rows = await query.orderBy('i.id', 'desc').limit(options.limit).execute();
  const messages = await loadMessages(
    db,
    workspaceId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...intentFields(row), messages: messages.get(row.id) ?? [] }));
}

async function loadOwnIntent(db: Queryable, customer: CustomerAuth, personId: string, id: string) {
  const [intent] = await loadOwnIntents(db, customer.workspaceId, personId, { id, limit: 1 });
  if (!intent) throw notYours('The request');
  return intent;
}

/** The customer's own intents, newest first, with their conversations. */
export async function listOwnIntents(
  ctx: RequestContext,
  customer: CustomerAuth,
  query: PageQuery,
): Promise<CustomerIntentPage> {
  const db = ctx.deps.db;
  const after = checkCursor(query.after);
  const allowedChannels = allowedIntentChannels(
    await termsInForce(db, customer.workspaceId, customer.personId),
  );
  if (!customer.personId) return { data: [], next: null, allowedChannels };
  const rows = await loadOwnIntents(db, customer.workspaceId, customer.personId, {
    ...(after ? { after } : {}),
    limit: query.limit + 1,
  });
  const hasMore = rows.length > query.limit;
  const data = hasMore ? rows.slice(0, query.limit) : rows;
  return { data, next: hasMore ? data.at(-1)!.id : null, allowedChannels };
}

export async function createIntent(
  ctx: RequestContext,
  customer: CustomerAuth,
  input: CreateIntentInput,
): Promise<CustomerIntent> {
  const now = nowOf(ctx.deps);
  if (input.website) {
    // Honeypot filled: answer like a success so that the bot learns nothing; store nothing.
    const at = now.toISOString();
    return {
      id: newId(),
      what: input.what,
      budgetMin: input.budgetMin ?? null,
      budgetMax: input.budgetMax ?? null,
      currency: input.currency ?? null,
      wantedBy: input.wantedBy ?? null,
      channel: input.channel,
      status: 'open',
      createdAt: at,
      updatedAt: at,
      messages: [],
    };
  }
  checkIntentInput(ctx, input);
  await limitSubmissions(ctx.deps.db, ctx, customer);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const personId = await ensurePerson(tx, ctx, customer);
    if (input.channel !== 'portal') {
      const current = await termsInForce(tx, customer.workspaceId, personId);
      if (!current.channels[input.channel]) {
        throw fieldError(
          'channel',
          `your terms do not allow ${contactChannelLabels[input.channel].toLowerCase()}; change your terms or pick another`,
        );
      }
    }
    const id = newId();
    await tx
      .insertInto('intents')
      .values({
        id,
        workspace_id: customer.workspaceId,
        person_id: personId,
        what: input.what,
        budget_min: input.budgetMin ?? null,
        budget_max: input.budgetMax ?? null,
        currency: input.currency ?? null,
        wanted_by: input.wantedBy ?? null,
        channel: input.channel,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const created = await loadOwnIntent(tx, customer, personId, id);
    const { messages: _none, ...after } = created;
    await audit(tx, customerAuditContext(ctx, customer, personId), {
      action: 'intent.created',
      entity: 'intent',
      entityId: id,
      after,
    });
    return created;
  });
}

/** Locks one of the customer's own open intents; others' ids are 404, closed ones 409. */
async function lockOwnOpenIntent(tx: Queryable, customer: CustomerAuth, id: string) {
  if (!customer.personId) throw notYours('The request');
  const row = await tx
    .selectFrom('intents')
    .select(['id', 'status'])
    .where('workspace_id', '=', customer.workspaceId)
    .where('person_id', '=', customer.personId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notYours('The request');
  if (row.status !== 'open') {
    throw new AppError(
      'conflict',
      `This request is ${row.status} already; start a new one if you still need it.`,
    );
  }
  return { personId: customer.personId };
}

export async function withdrawIntent(
  ctx: RequestContext,
  customer: CustomerAuth,
  id: string,
): Promise<CustomerIntent> {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const { personId } = await lockOwnOpenIntent(tx, customer, id);
    await tx
      .updateTable('intents')
      .set({ status: 'withdrawn', updated_at: nowOf(ctx.deps) })
      .where('id', '=', id)
      .execute();
    await audit(tx, customerAuditContext(ctx, customer, personId), {
      action: 'intent.withdrawn',
      entity: 'intent',
      entityId: id,
      before: { status: 'open' },
      after: { status: 'withdrawn' },
    });
    return loadOwnIntent(tx, customer, personId, id);
  });
}

export async function addCustomerMessage(
  ctx: RequestContext,
  customer: CustomerAuth,
  id: string,
  input: IntentMessageInput,
): Promise<CustomerIntent> {
  await limitSubmissions(ctx.deps.db, ctx, customer);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const { personId } = await lockOwnOpenIntent(tx, customer, id);
    const now = nowOf(ctx.deps);
    const messageId = newId();
    await tx
      .insertInto('intent_responses')
      .values({
        id: messageId,
        workspace_id: customer.workspaceId,
        intent_id: id,
        person_id: personId,
        body: input.body,
        created_at: now,
      })
      .execute();
    await tx.updateTable('intents').set({ updated_at: now }).where('id', '=', id).execute();
    await audit(tx, customerAuditContext(ctx, customer, personId), {
      action: 'intent.customer_message',
      entity: 'intent',
      entityId: id,
      after: { messageId, body: input.body },
    });
    return loadOwnIntent(tx, customer, personId, id);
  });
}
