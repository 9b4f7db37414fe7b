import { sql } from 'kysely';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Auth, auditContext, type RequestContext } from '../../platform/http/context.ts';
import { uuidPattern } from '../../platform/ids.ts';
import type { DuplicatePage, DuplicateReason, ListDuplicatesQuery } from '../../shared/merges.ts';
import { unprocessable } from '../people/normalize.ts';
import { personOutput } from '../people/queries.ts';

/**
 * Tuning of duplicate detection.
 * - An email or phone shared by more than `maxGroup` people is a role address or a switchboard
 *   (info@, a reception desk): it says nothing about two of them being the same person.
 * - Each signal yields at most `maxPairsPerSignal` pairs, so a page costs the same whatever the
 *   size of the workspace; merging or dismissing pairs lets the next ones in.
 * - Names count when their trigram similarity is at least `nameThreshold`.
 */
export const duplicateTuning = { maxGroup: 50, maxPairsPerSignal: 5000, nameThreshold: 0.5 };

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
  score: string;
}

/**
 * Every likely pair, best first, after the cursor. Cost on 100k people (see the comments per
 * signal): one scan of the live people for the email keys and one for the phone keys (hash
 * aggregate of the unnested keys, no pairwise comparison), and for names one pass over people
 * that have an organization, each compared only with the people of the same organization
 * (the organization index), i.e. Σ n_org² trigram comparisons — small for real organizations.
 * The candidate pairs (bounded) are then scored in one go.
 *
 * Score = 1 − Π(1 − signal): shared email 0.7, shared phone 0.6, similar name 0.6 × similarity,
 * same organization 0.2. One shared email: 0.70; email and phone: 0.88; identical name in the
 * same organization: 0.68.
 */
async function findPairs(
  tx: Queryable,
  workspaceId: string,
  cursor: { score: string; a: string; b: string } | null,
  limit: number,
) {
  const { maxGroup, maxPairsPerSignal: cap } = duplicateTuning;
  const live = sql`workspace_id = ${workspaceId} and deleted_at is null`;
  const keyPairs = (column: 'email_keys' | 'phone_keys') => sql`
    select x as a, y as b
    from (select array_agg(id order by id) as ids
          from (select id, unnest(${sql.ref(column)}) as k from people
                where ${live} and cardinality(${sql.ref(column)}) > 0) keyed
          group by k having count(*) between 2 and ${maxGroup}) g,
      unnest(g.ids) x, unnest(g.ids) y
    where x < y
    limit ${cap}`;
  const after = cursor
    ? sql`and (score < cast(${cursor.score} as numeric)
          or (score = cast(${cursor.score} as numeric) and (a, b) > (cast(${cursor.a} as uuid), cast(${cursor.b} as uuid))))`
    : sql``;
  const { rows } = await sql<PairRow>`
    with email_pairs as (${keyPairs('email_keys')}),
    phone_pairs as (${keyPairs('phone_keys')}),
    name_pairs as (
      select pa.id as a, pb.id as b
      from people pa
      join people pb on pb.workspace_id = pa.workspace_id and pb.organization_id = pa.organization_id
        and pb.deleted_at is null and pb.id > pa.id and pa.search_name % pb.search_name
      where pa.workspace_id = ${workspaceId} and pa.deleted_at is null and pa.organization_id is not null
      limit ${cap}
    ),
    pairs as (select a, b from email_pairs union select a, b from phone_pairs union select a, b from name_pairs),
    signals as (
      select pr.a, pr.b, pa.display_name as a_name, pb.display_name as b_name,
        array(select unnest(pa.email_keys) intersect select unnest(pb.email_keys) order by 1) as emails,
        array(select unnest(pa.phone_keys) intersect select unnest(pb.phone_keys) order by 1) as phones,
        similarity(pa.search_name, pb.search_name)::float8 as name_similarity,
        coalesce(pa.organization_id = pb.organization_id, false) as same_org,
        o.name as organization
      from pairs pr
      join people pa on pa.id = pr.a
      join people pb on pb.id = pr.b
      left join organizations o on o.id = pa.organization_id and pa.organization_id = pb.organization_id
      where not exists (select 1 from duplicate_dismissals d
                        where d.workspace_id = ${workspaceId} and d.person_a = pr.a and d.person_b = pr.b)
    ),
    scored as (
      select *, round(cast(1 - (case when cardinality(emails) > 0 then 0.3 else 1 end)
                  * (case when cardinality(phones) > 0 then 0.4 else 1 end)
                  * (case when name_similarity >= ${duplicateTuning.nameThreshold}
                          then 1 - 0.6 * name_similarity else 1 end)
                  * (case when same_org then 0.8 else 1 end) as numeric), 3) as score
      from signals
    )
    select * from scored
    where (cardinality(emails) > 0 or cardinality(phones) > 0
           or (same_org and name_similarity >= ${duplicateTuning.nameThreshold})) ${after}
    order by score desc, a, b
    limit ${limit + 1}`.execute(tx);
  return rows;
}

function reasonsOf(row: PairRow): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  for (const email of row.emails) reasons.push({ kind: 'email', detail: `Same email: ${email}` });
  for (const phone of row.phones) reasons.push({ kind: 'phone', detail: `Same phone: ${phone}` });
  if (row.name_similarity >= duplicateTuning.nameThreshold) {
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
  return Buffer.from(JSON.stringify({ s: row.score, a: row.a, b: row.b })).toString('base64url');
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
  return ctx.deps.db.transaction().execute(async (tx) => {
    await sql`select set_config('pg_trgm.similarity_threshold', ${String(duplicateTuning.nameThreshold)}, true)`.execute(
      tx,
    );
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
