import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { uuidPattern } from '../../platform/ids.ts';
import type { DuplicatePage, DuplicateReason, ListDuplicatesQuery } from '../../shared/merges.ts';
import { unprocessable } from '../people/normalize.ts';
import { personOutput } from '../people/queries.ts';
import { drainDuplicateQueue, drainOnReadLimit } from './refresh.ts';

/** Names count as similar from this trigram similarity (the same threshold as migration 0005). */
const nameThreshold = 0.5;

interface PairRow {
  a: string;
  b: string;
  emails: string[];
  phones: string[];
  name_similarity: number;
  same_org: boolean;
  organization: string | null;
  a_name: string;
  b_name: string;
  stored_score: string;
  score: string;
}

/**
 * One page of likely pairs, best first. Candidates and their scores are kept up to date by the
 * people queue that the triggers of migration 0005 fill (see refresh.ts), so a page is one
 * scan of duplicate_candidates_score_idx, whatever the size of the workspace. The reasons are computed here for the rows of the page only.
 * An email or phone shared by more than 50 people (a role address, a switchboard) is not a
 * reason; pairs that had no other reason are skipped (they were found while the group was small).
 */
async function findPairs(
  tx: Queryable,
  workspaceId: string,
  cursor: { score: string; a: string; b: string } | null,
  limit: number,
) {
  const after = cursor
    ? sql`and (d.score < cast(${cursor.score} as numeric)
          or (d.score = cast(${cursor.score} as numeric)
              and (d.person_a, d.person_b) > (cast(${cursor.a} as uuid), cast(${cursor.b} as uuid))))`
    : sql``;
  const { rows } = await sql<PairRow>`
    select * from (
      select d.person_a as a, d.person_b as b, d.score::text as stored_score, d.score as sort_score,
        pa.display_name as a_name, pb.display_name as b_name,
        array(select unnest(duplicate_significant_emails(${workspaceId}, pa.email_keys))
              intersect select unnest(pb.email_keys) order by 1) as emails,
        array(select unnest(duplicate_significant_phones(${workspaceId}, pa.phone_keys))
              intersect select unnest(pb.phone_keys) order by 1) as phones,
        similarity(pa.search_name, pb.search_name)::float8 as name_similarity,
        coalesce(pa.organization_id = pb.organization_id, false) as same_org,
        o.name as organization
      from duplicate_candidates d
      join people pa on pa.id = d.person_a
      join people pb on pb.id = d.person_b
      left join organizations o on o.id = pa.organization_id and pa.organization_id = pb.organization_id
      where d.workspace_id = ${workspaceId} ${after}
        and pa.deleted_at is null and pb.deleted_at is null
        and not exists (select 1 from duplicate_dismissals x
                        where x.workspace_id = ${workspaceId} and x.person_a = d.person_a and x.person_b = d.person_b)
    ) pairs
    where cardinality(emails) > 0 or cardinality(phones) > 0 or (same_org and name_similarity >= ${nameThreshold})
    order by sort_score desc, a, b
    limit ${limit + 1}`.execute(tx);
  return rows.map((row) => ({ ...row, score: scoreOf(row) }));
}

/** The score from the reasons found now (the same formula as migration 0005). */
function scoreOf(row: PairRow): string {
  const name = row.name_similarity >= nameThreshold ? 1 - 0.6 * row.name_similarity : 1;
  const rest =
    (row.emails.length > 0 ? 0.3 : 1) * (row.phones.length > 0 ? 0.4 : 1) * name * (row.same_org ? 0.8 : 1);
  return (Math.round((1 - rest) * 1000) / 1000).toFixed(3);
}

function reasonsOf(row: PairRow): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  for (const email of row.emails) reasons.push({ kind: 'email', detail: `Same email: ${email}` });
  for (const phone of row.phones) reasons.push({ kind: 'phone', detail: `Same phone: ${phone}` });
  if (row.name_similarity >= nameThreshold) {
    reasons.push({
      kind: 'name',
      detail:
        row.name_similarity >= 1
          ? `Same name: ${row.a_name}`
          : `Similar names: ${row.a_name} / ${row.b_name} (${Math.round(row.name_similarity * 100)}% alike)`,
    });
  }
  if (row.same_org)
    reasons.push({ kind: 'organization', detail: `Same organization: ${row.organization ?? '?'}` });
  return reasons;
}

function encodeCursor(row: PairRow) {
  return Buffer.from(JSON.stringify({ s: row.stored_score, a: row.a, b: row.b })).toString('base64url');
}

function decodeCursor(after: string) {
  try {
    const parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { s, a, b } = parsed;
    if (
      typeof s === 'string' &&
      /^\d(\.\d{1,3})?$/.test(s) &&
      typeof a === 'string' &&
      typeof b === 'string' &&
      uuidPattern.test(a) &&
      uuidPattern.test(b)
    ) {
      return { score: s, a, b };
    }
  } catch {
    // falls through to the error below
  }
  throw new AppError('validation_failed', 'query.after: must be the `next` value of a previous page.', {
    errors: [{ path: 'query.after', message: 'must be the `next` value of a previous page.' }],
  });
}

export async function listDuplicates(
  ctx: RequestContext,
  auth: Auth,
  query: ListDuplicatesQuery,
): Promise<DuplicatePage> {
  const cursor = query.after ? decodeCursor(query.after) : null;
  // Recent edits show at once in a workspace of ordinary size; a big import's backlog is the job's.
  await ctx.deps.db
    .transaction()
    .execute((tx) => drainDuplicateQueue(tx, auth.workspaceId, drainOnReadLimit));
  return ctx.deps.db.transaction().execute(async (tx) => {
    const rows = await findPairs(tx, auth.workspaceId, cursor, query.limit);
    const pageRows = rows.slice(0, query.limit);
    const ids = [...new Set(pageRows.flatMap((row) => [row.a, row.b]))];
    const people =
      ids.length === 0
        ? []
        : await tx
            .selectFrom('people')
            .selectAll()
            .select(sql<string | null>`to_char(birthday, 'YYYY-MM-DD')`.as('birthday_text'))
            .where('workspace_id', '=', auth.workspaceId)
            .where('id', 'in', ids)
            .execute();
    const byId = new Map(people.map((row) => [row.id, personOutput(row)]));
    const last = pageRows.at(-1);
    return {
      data: pageRows.map((row) => ({
        person: byId.get(row.a)!,
        other: byId.get(row.b)!,
        score: Number(row.score),
        reasons: reasonsOf(row),
      })),
      next: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  });
}

/** Remembers that two people are not the same: the pair no longer shows up as duplicates. */
export async function dismissDuplicate(ctx: RequestContext, auth: Auth, personId: string, otherId: string) {
  const [a, b] = [personId.toLowerCase(), otherId.toLowerCase()].sort() as [string, string];
  if (a === b) {
    throw unprocessable([{ path: 'body.otherId', message: 'is the same person as body.personId.' }]);
  }
  return ctx.deps.db.transaction().execute(async (tx) => {
    const found = await tx
      .selectFrom('people')
      .select('id')
      .where('workspace_id', '=', auth.workspaceId)
      .where('id', 'in', [a, b])
      .where('deleted_at', 'is', null)
      .execute();
    if (found.length !== 2) throw notFound('One of the two people');
    const row = await tx
      .insertInto('duplicate_dismissals')
      .values({ workspace_id: auth.workspaceId, person_a: a, person_b: b, dismissed_by: auth.userId })
      .onConflict((conflict) => conflict.columns(['workspace_id', 'person_a', 'person_b']).doNothing())
      .returning('created_at')
      .executeTakeFirst();
    const dismissedAt = (row?.created_at ?? new Date()).toISOString();
    if (row) {
      await audit(tx, auditContext(ctx), {
        action: 'duplicate.dismissed',
        entity: 'person',
        entityId: a,
        after: { personId: a, otherId: b },
      });
    }
    return { personId, otherId, dismissedAt };
  });
}
