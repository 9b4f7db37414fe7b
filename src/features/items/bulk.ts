import { sql } from 'kysely';
import type { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { type Auth, actorOf, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import type { bulkItemsInput } from '../../shared/listening.ts';
import type { FieldProblem } from '../../shared/people.ts';
import { can } from '../../shared/permissions.ts';
import { notify } from '../notifications/notify.ts';
import { unprocessable } from '../people/normalize.ts';
import { itemLink } from './action.ts';
import { findActiveUser } from './queries.ts';

type BulkInput = z.infer<typeof bulkItemsInput>;

/**
 * Take, assign or tag many items at once, all or nothing: the rows are locked in id order (no
 * deadlock between two bulk runs), every id is checked first, and any refusal is a 422 naming
 * each id and why. One statement per step, whatever the number of items.
 */
export async function bulkItems(ctx: RequestContext, auth: Auth, input: BulkInput) {
  if (input.action === 'assign' && !can(auth.role, 'items.assign')) {
    throw new AppError('forbidden', `Your role (${auth.role}) may not do this (needs "items.assign").`);
  }
  const ids = [...new Set(input.ids)];
  const problems: FieldProblem[] = [];
  if (input.action === 'assign' && !input.userId)
    problems.push({ path: 'body.userId', message: 'is required to assign.' });
  if ((input.action === 'add_tags' || input.action === 'remove_tags') && !input.tags?.length) {
    problems.push({
      path: 'body.tags',
      message: `name at least one tag to ${input.action === 'add_tags' ? 'add' : 'remove'}.`,
    });
  }
  if (problems.length > 0) throw unprocessable(problems);

  return ctx.deps.db.transaction().execute(async (tx) => {
    const now = nowOf(ctx.deps);
    const rows = await tx
      .selectFrom('items')
      .leftJoin('users as owner', 'owner.id', 'items.owner_id')
      .select([
        'items.id',
        'items.ref',
        'items.subject',
        'items.status',
        'items.owner_id',
        'owner.name as owner_name',
      ])
      .where('items.workspace_id', '=', auth.workspaceId)
      .where('items.id', 'in', ids)
      .orderBy('items.id')
      .forUpdate('items')
      .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    const assignee =
      input.action === 'assign' ? await findActiveUser(tx, auth.workspaceId, input.userId!) : null;
    if (input.action === 'assign' && !assignee) {
      throw unprocessable([{ path: 'body.userId', message: 'is not an active user of this workspace.' }]);
    }
    const ownerWanted = input.action === 'take' ? auth.userId : (assignee?.id ?? null);
    for (const [index, id] of input.ids.entries()) {
      const row = byId.get(id);
      const path = `body.ids.${index}`;
      if (!row) problems.push({ path, message: `${id} is not an item of this workspace.` });
      else if ((input.action === 'take' || input.action === 'assign') && row.status === 'closed')
        problems.push({ path, message: `#${row.ref} is closed: reopen it first.` });
      else if (input.action === 'take' && row.owner_id && row.owner_id !== auth.userId)
        problems.push({
          path,
          message: `#${row.ref} is owned by ${row.owner_name ?? 'someone else'} already.`,
        });
    }
    if (problems.length > 0) {
      throw new AppError(
        'unprocessable',
        `Nothing was changed. ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        {
          errors: problems,
        },
      );
    }
    const changed = rows
      .filter((row) => ownerWanted === null || row.owner_id !== ownerWanted)
      .map((row) => row.id);
    if (changed.length > 0) {
      const tags = input.tags ? [...new Set(input.tags)] : [];
      const set =
        input.action === 'add_tags'
          ? sql`tags = tags || array(select t from unnest(${tags}::text[]) with ordinality u(t, n) where t <> all(tags) order by n)`
          : input.action === 'remove_tags'
            ? sql`tags = array(select t from unnest(tags) with ordinality u(t, n) where t <> all(${tags}::text[]) order by n)`
            : input.action === 'take'
              ? sql`owner_id = ${auth.userId}, status = case when status in ('new', 'acknowledged', 'reopened') then 'in_progress' else status end`
              : sql`owner_id = ${assignee!.id}, team_id = coalesce(team_id, ${assignee!.team_id}::uuid)`;
      await sql`update items set ${set}, version = version + 1, updated_at = ${now}
        where workspace_id = ${auth.workspaceId} and id = any(${changed}::uuid[])`.execute(tx);
      const actor = actorOf(auth);
      const type = { take: 'taken', assign: 'assigned', add_tags: 'tags_added', remove_tags: 'tags_removed' }[
        input.action
      ];
      const data = JSON.stringify(ownerWanted ? { ownerId: ownerWanted, bulk: true } : { tags, bulk: true });
      await tx
        .insertInto('item_events')
        .values(
          changed.map((itemId) => ({
            id: newId(),
            workspace_id: auth.workspaceId,
            item_id: itemId,
            type,
            actor_type: actor.type,
            actor_id: actor.userId,
            data,
            created_at: now,
          })),
        )
        .execute();
      await audit(tx, auditContext(ctx), {
        action: `item.bulk_${input.action}`,
        entity: 'item',
        after: { ids: changed, ...(ownerWanted ? { ownerId: ownerWanted } : { tags }) },
      });
      if (input.action === 'assign') {
        const first = byId.get(changed[0]!)!;
        await notify(tx, {
          workspaceId: auth.workspaceId,
          userIds: [assignee!.id],
          type: 'assignment',
          title:
            changed.length === 1
              ? `#${first.ref} assigned to you: ${first.subject}`
              : `${changed.length} items assigned to you`,
          body: changed
            .map((itemId) => `#${byId.get(itemId)!.ref} ${byId.get(itemId)!.subject}`)
            .join('\n')
            .slice(0, 5000),
          itemId: changed.length === 1 ? first.id : null,
          link: changed.length === 1 ? itemLink(ctx, first.id) : `${itemLink(ctx, '').replace(/\/$/, '')}`,
          exceptUserId: auth.userId,
        });
      }
    }
    return { changed: changed.length, ids: changed };
  });
}
