import { sql } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import type { Auth, RequestContext } from '../../../platform/http/context.ts';
import { uuid } from '../../../shared/common.ts';
import { correctableFields, type PortalActivity } from '../../../shared/portal-me.ts';

/** How many of the customer's own edits the "changed by customer" marks look back over. */
const changeScanLimit = 500;

const describe: Record<string, string> = {
  'portal.signed_in': 'Signed in to the portal',
  'portal.signed_out': 'Signed out of the portal',
  'person.created': 'Got a record by using the portal',
};

const fieldLabels: Record<(typeof correctableFields)[number], string> = {
  givenName: 'given name',
  familyName: 'family name',
  nickname: 'nickname',
  pronouns: 'pronouns',
  jobTitle: 'job title',
  birthday: 'birthday',
  emails: 'emails',
  phones: 'phones',
  addresses: 'addresses',
};

/** The correctable fields that differ between an audit row's before and after. */
export function changedFieldsOf(before: unknown, after: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return correctableFields.filter(
    (field) => JSON.stringify(b[field] ?? null) !== JSON.stringify(a[field] ?? null),
  );
}

function summaryOf(action: string, entity: string, before: unknown, after: unknown): string {
  if (action === 'person.updated') {
    const fields = changedFieldsOf(before, after) as (keyof typeof fieldLabels)[];
    return fields.length
      ? `Corrected their ${fields.map((field) => fieldLabels[field]).join(', ')}`
      : 'Saved their details unchanged';
  }
  return describe[action] ?? `${action.replace(/[._]/g, ' ')} (${entity.replace(/_/g, ' ')})`;
}

async function personExists(db: Queryable, workspaceId: string, id: string) {
  const row = await db
    .selectFrom('people')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

function checkCursor(after: string | undefined) {
  if (after !== undefined && !uuid.safeParse(after).success) {
    throw new AppError('validation_failed', 'query.after: must be the `next` cursor of a previous page.', {
      errors: [{ path: 'query.after', message: 'must be the `next` cursor of a previous page.' }],
    });
  }
}

/** A person's use of the portal, for staff: sign-ins, what they did, what they corrected. */
export async function portalActivityOf(
  ctx: RequestContext,
  auth: Auth,
  personId: string,
  query: { after?: string | undefined; limit: number },
): Promise<PortalActivity> {
  checkCursor(query.after);
  const db = ctx.deps.db;
  const workspaceId = auth.workspaceId;
  if (!(await personExists(db, workspaceId, personId))) throw notFound('The person');
  // Every query below is served by audit_log_customer_idx (workspace_id, actor_id, id).
  const mine = db
    .selectFrom('audit_log')
    .where('workspace_id', '=', workspaceId)
    .where('actor_type', '=', 'customer')
    .where('actor_id', '=', personId);
  let page = mine
    .select(['id', 'action', 'entity', 'entity_id', 'before', 'after', 'created_at'])
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.after) page = page.where('id', '<', query.after);
  const [rows, signIns, sessionRows, edits] = await Promise.all([
    page.execute(),
    mine
      .select([sql<string>`count(*)`.as('count'), sql<Date | null>`max(created_at)`.as('last')])
      .where('action', '=', 'portal.signed_in')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('portal_sessions')
      .select([sql<string>`count(*)`.as('count'), sql<Date | null>`max(created_at)`.as('last')])
      .where('workspace_id', '=', workspaceId)
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow(),
    mine
      .select(['before', 'after', 'created_at'])
      .where('action', '=', 'person.updated')
      .where('entity_id', '=', personId)
      .orderBy('id', 'desc')
      .limit(changeScanLimit)
      .execute(),
  ]);
  const more = rows.length > query.limit;
  const shown = rows.slice(0, query.limit);
  const changed = new Map<string, Date>();
  for (const edit of edits) {
    for (const field of changedFieldsOf(edit.before, edit.after)) {
      if (!changed.has(field)) changed.set(field, edit.created_at);
    }
  }
  const lasts = [signIns.last, sessionRows.last].filter((value): value is Date => value !== null);
  const lastSignIn = lasts.length
    ? new Date(Math.max(...lasts.map((value) => new Date(value).getTime())))
    : null;
  return {
    lastSignInAt: lastSignIn?.toISOString() ?? null,
    // A sign-in before the person had a record is audited without them; its session is linked later.
    sessions: Math.max(Number(signIns.count), Number(sessionRows.count)),
    activity: shown.map((row) => ({
      id: row.id,
      at: row.created_at.toISOString(),
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      summary: summaryOf(row.action, row.entity, row.before, row.after),
    })),
    next: more ? (shown.at(-1)?.id ?? null) : null,
    changedFields: [...changed].map(([field, at]) => ({ field, at: at.toISOString() })),
  };
}
