import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import { publicUrl } from '../../platform/config.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import type { ProblemFixOutcome } from '../../shared/problems.ts';
import { customersOf } from '../items/customers.ts';
import { sendToCustomer } from '../items/send.ts';
import { notify } from '../notifications/notify.ts';
import { refreshItemSla } from '../sla/refresh.ts';
import { fillTemplate, templateFor } from '../templates/render.ts';
import { findProblem, lockProblem } from './queries.ts';

type FixedCustomer = ProblemFixOutcome['informed'][number];

/** The linked items and the duplicates merged into them, with what a message needs. */
async function affectedItems(tx: Tx, workspaceId: string, problemId: string) {
  return tx
    .selectFrom('items as i')
    .leftJoin('items as s', 's.id', 'i.merged_into_id')
    .select([
      'i.id',
      'i.ref',
      'i.kind',
      'i.subject',
      'i.status',
      'i.person_id',
      'i.reporter_email',
      'i.reply_token',
      'i.merged_into_id',
      'i.owner_id',
      's.reply_token as survivor_reply_token',
    ])
    .where('i.workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('i.problem_id', '=', problemId), eb('s.problem_id', '=', problemId)]))
    .orderBy('i.id')
    .forUpdate('i')
    .execute();
}

/** The key customersOf() tells customers apart by. */
const customerKey = (row: { id: string; person_id: string | null; reporter_email: string | null }) =>
  row.person_id ?? row.reporter_email?.toLowerCase() ?? row.id;

/**
 * Marks a problem fixed and tells every customer of every linked item (duplicates merged into
 * them included) in one personalised message each, sent through the outbox with the reply
 * address of the item they reported (a duplicate's answers go to the item it was merged into).
 * Every linked item records the feedback ('informed'); open ones are resolved with the summary.
 * Customers without an email are returned so that staff tell them another way.
 */
export async function fixProblem(
  ctx: RequestContext,
  auth: Auth,
  problemId: string,
  input: { summary: string; message: string; thanks?: boolean },
): Promise<ProblemFixOutcome> {
  const outcome = await ctx.deps.db.transaction().execute(async (tx) => {
    const ws = auth.workspaceId;
    const problem = await lockProblem(tx, ws, problemId);
    if (!problem) throw notFound('The problem');
    if (problem.status === 'fixed') {
      throw new AppError(
        'conflict',
        `This problem was already fixed on ${problem.fixed_at?.toISOString() ?? 'an earlier date'}; its customers were told then.`,
      );
    }
    const items = await affectedItems(tx, ws, problemId);
    const linkedIds = items.filter((row) => row.merged_into_id === null).map((row) => row.id);
    if (linkedIds.length === 0) {
      throw new AppError(
        'conflict',
        'No items are linked to this problem: link the reports first, then fix it.',
      );
    }
    const now = nowOf(ctx.deps);
    const workspace = await tx
      .selectFrom('workspaces')
      .select('name')
      .where('id', '=', ws)
      .executeTakeFirst();
    const byId = new Map(items.map((row) => [row.id, row]));
    const templates = new Map<string, Awaited<ReturnType<typeof templateFor>>>();
    const itemsOfCustomer = new Map<string, string[]>();
    for (const row of items) {
      const key = customerKey(row);
      itemsOfCustomer.set(key, [...(itemsOfCustomer.get(key) ?? []), row.id]);
    }
    const informed: FixedCustomer[] = [];
    const withoutEmail: FixedCustomer[] = [];
    const customers = await customersOf(tx, ws, linkedIds);
    for (const customer of customers) {
      const own = byId.get(customer.itemId)!;
      const entry = {
        personId: customer.personId,
        name: customer.name,
        email: customer.email,
        itemIds: itemsOfCustomer.get(customerKey(own)) ?? [own.id],
      };
      if (!customer.email) {
        withoutEmail.push(entry);
        continue;
      }
      let template = templates.get(own.kind);
      if (!template) {
        template = await templateFor(tx, ws, 'fix_notice', own.kind);
        templates.set(own.kind, template);
      }
      const variables = {
        name: customer.name ?? customer.email,
        subject: own.subject,
        ref: String(own.ref),
        workspace: workspace?.name ?? '',
        summary: input.summary,
      };
      const threadId = own.merged_into_id ?? own.id;
      const sent = await sendToCustomer(
        tx,
        ctx.deps.config,
        {
          workspaceId: ws,
          itemId: threadId,
          replyToken: own.survivor_reply_token ?? own.reply_token,
          to: customer.email,
          personId: customer.personId,
          subject: fillTemplate(template.subject, variables),
          body: fillTemplate(input.message, variables),
          authorUserId: auth.userId,
        },
        { onRefused: 'skip', actor: actorOf(auth), now },
      );
      // Their terms refuse email (recorded on the item): staff tell them another way, as without one.
      if (sent === null) {
        withoutEmail.push(entry);
        continue;
      }
      informed.push(entry);
    }
    const informedIds = informed.flatMap((customer) => customer.itemIds);
    await recordFeedback(tx, auth, {
      problemId,
      summary: input.summary,
      informedIds,
      thankedIds: input.thanks ? informedIds : [],
      toResolve: items
        .filter((row) => row.merged_into_id === null && isOpen(row.status))
        .map((row) => row.id),
      now,
    });
    await tx
      .updateTable('problems')
      .set({
        status: 'fixed',
        fix_summary: input.summary,
        fixed_at: now,
        fixed_by: auth.userId,
        updated_at: now,
        version: problem.version + 1,
      })
      .where('id', '=', problemId)
      .execute();
    // The owners of the items (and of the problem) close the loop: thank, then close.
    await notify(tx, {
      workspaceId: ws,
      userIds: [
        ...items.flatMap((row) => (row.owner_id ? [row.owner_id] : [])),
        ...(problem.owner_id ? [problem.owner_id] : []),
      ],
      type: 'problem_fixed',
      problemId,
      title: `Fixed: ${problem.title}`,
      body:
        `${input.summary}\n\n${informed.length} customer(s) were told by email` +
        (withoutEmail.length > 0 ? `; ${withoutEmail.length} have no email: tell them another way.` : '.') +
        ' Thank the customers, then close the items.',
      link: `${publicUrl(ctx.deps.config, ctx.origin)}/problems/${problemId}`,
      exceptUserId: auth.userId,
    });
    await audit(tx, auditContext(ctx), {
      action: 'problem.fixed',
      entity: 'problem',
      entityId: problemId,
      before: { status: problem.status },
      after: {
        status: 'fixed',
        summary: input.summary,
        informed: informed.length,
        withoutEmail: withoutEmail.length,
        items: items.length,
      },
    });
    return { informed, withoutEmail };
  });
  const problem = await findProblem(ctx.deps.db, auth.workspaceId, problemId);
  return { problem: problem!, ...outcome };
}

const isOpen = (status: string) => status !== 'resolved' && status !== 'closed';

/**
 * Every item whose customer got the message records it ('informed', how: email, the summary,
 * the problem; with thanks also 'thanked'); items whose customers have no email wait for staff
 * to tell them another way. Linked items still open are resolved with the summary. Set-based:
 * a few statements whatever the number of items.
 */
async function recordFeedback(
  tx: Tx,
  auth: Auth,
  change: {
    problemId: string;
    summary: string;
    informedIds: string[];
    thankedIds: string[];
    toResolve: string[];
    now: Date;
  },
) {
  const ws = auth.workspaceId;
  const actor = actorOf(auth);
  const { now, problemId } = change;
  if (change.toResolve.length > 0) {
    await tx
      .updateTable('items')
      .set({
        status: 'resolved',
        resolved_at: now,
        resolution: sql<string>`coalesce(resolution, ${change.summary})`,
        updated_at: now,
        version: sql<number>`version + 1`,
      })
      .where('workspace_id', '=', ws)
      .where('id', 'in', change.toResolve)
      .execute();
    const data = { resolution: change.summary, problemId };
    await insertEvents(tx, ws, actor, change.toResolve, 'resolved', data, now);
  }
  if (change.informedIds.length > 0) {
    await tx
      .updateTable('items')
      .set({ informed_at: now, updated_at: now, version: sql<number>`version + 1` })
      .where('workspace_id', '=', ws)
      .where('id', 'in', change.informedIds)
      .execute();
    const data = { how: 'email', summary: change.summary, problemId };
    await insertEvents(tx, ws, actor, change.informedIds, 'informed', data, now);
  }
  if (change.thankedIds.length > 0) {
    await tx
      .updateTable('items')
      .set({ thanked_at: now })
      .where('workspace_id', '=', ws)
      .where('id', 'in', change.thankedIds)
      .execute();
    await insertEvents(tx, ws, actor, change.thankedIds, 'thanked', { how: 'email', problemId }, now);
  }
  for (const itemId of change.toResolve) await refreshItemSla(tx, ws, itemId, now);
}

async function insertEvents(
  tx: Tx,
  workspaceId: string,
  actor: ReturnType<typeof actorOf>,
  itemIds: string[],
  type: string,
  data: Record<string, unknown>,
  at: Date,
) {
  await sql`
    insert into item_events (id, workspace_id, item_id, type, actor_type, actor_id, data, created_at)
    select x.event_id, ${workspaceId}, x.item_id, ${type}, ${actor.type}, ${actor.userId},
      ${JSON.stringify(data)}::jsonb, ${at}
    from unnest(${itemIds}::uuid[], ${itemIds.map(() => newId())}::uuid[]) as x(item_id, event_id)`.execute(
    tx,
  );
}
