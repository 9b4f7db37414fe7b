import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { refreshItemSla } from '../sla/refresh.ts';
import { lockProblem } from './queries.ts';

/**
 * Closes a problem's linked items in bulk: the resolved ones whose customers were informed and
 * thanked; with a reason, every resolved one (the reason is reported, as for a single close).
 * Items not resolved yet are skipped, as are (without a reason) those not informed and thanked.
 */
export async function closeProblemItems(ctx: RequestContext, auth: Auth, problemId: string, reason?: string) {
  return ctx.deps.db.transaction().execute(async (tx) => {
    const ws = auth.workspaceId;
    const problem = await lockProblem(tx, ws, problemId);
    if (!problem) throw notFound('The problem');
    const open = await tx
      .selectFrom('items')
      .select(['id', 'status', 'informed_at', 'thanked_at'])
      .where('workspace_id', '=', ws)
      .where('problem_id', '=', problemId)
      .where('status', '<>', 'closed')
      .orderBy('id')
      .forUpdate()
      .execute();
    const closable = open.filter(
      (row) => row.status === 'resolved' && (reason !== undefined || (row.informed_at && row.thanked_at)),
    );
    const closeIds = closable.map((row) => row.id);
    const skippedItemIds = open.filter((row) => !closeIds.includes(row.id)).map((row) => row.id);
    const now = nowOf(ctx.deps);
    if (closeIds.length > 0) {
      await tx
        .updateTable('items')
        .set({
          status: 'closed',
          closed_at: now,
          close_reason: reason ?? null,
          updated_at: now,
          version: sql<number>`version + 1`,
        })
        .where('workspace_id', '=', ws)
        .where('id', 'in', closeIds)
        .execute();
      const actor = actorOf(auth);
      const loopOpen = new Set(
        closable.filter((row) => !row.informed_at || !row.thanked_at).map((row) => row.id),
      );
      const data = closeIds.map((id) =>
        JSON.stringify({ problemId, ...(reason ? { reason, withoutLoop: loopOpen.has(id) } : {}) }),
      );
      await sql`
        insert into item_events (id, workspace_id, item_id, type, actor_type, actor_id, data, created_at)
        select x.event_id, ${ws}, x.item_id, 'closed', ${actor.type}, ${actor.userId}, x.data::jsonb, ${now}
        from unnest(${closeIds}::uuid[], ${closeIds.map(() => newId())}::uuid[], ${data}::text[])
          as x(item_id, event_id, data)`.execute(tx);
      for (const id of closeIds) await refreshItemSla(tx, ws, id, now);
    }
    await audit(tx, auditContext(ctx), {
      action: 'problem.items_closed',
      entity: 'problem',
      entityId: problemId,
      after: { closed: closeIds, skipped: skippedItemIds, reason: reason ?? null },
    });
    return { closed: closeIds.length, skipped: skippedItemIds.length, skippedItemIds };
  });
}
