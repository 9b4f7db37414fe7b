import { type RawBuilder, sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { Stage } from '../../shared/people.ts';
import { type InfluenceMap, type InfluenceNode, influenceCaps } from '../../shared/relationships.ts';

/**
 * The influence edges out of (or into) `node`, read as "influencer → influenced":
 * `A influences B` and `B referred_by A` both mean A influenced B.
 * Returns the condition on relationships r and the expression of the person at the other end.
 */
function edges(direction: 'influences' | 'influencedBy', node: RawBuilder<unknown>) {
  const [influencesSide, influencesNext, referredSide, referredNext] =
    direction === 'influences'
      ? ['from_id', 'to_id', 'to_id', 'from_id']
      : ['to_id', 'from_id', 'from_id', 'to_id'];
  return {
    where: sql`r.from_type = 'person' and r.to_type = 'person'
      and ((r.type = 'influences' and ${sql.ref(`r.${influencesSide}`)} = ${node})
        or (r.type = 'referred_by' and ${sql.ref(`r.${referredSide}`)} = ${node}))`,
    next: sql`case when r.type = 'influences' then ${sql.ref(`r.${influencesNext}`)} else ${sql.ref(`r.${referredNext}`)} end`,
  };
}

interface NodeRow {
  id: string;
  display_name: string;
  stage: Stage;
  hop: number;
  via: string | null;
  customer_count: number | string;
  truncated: boolean;
}

/**
 * One direction of the map in one query: hop 1 (at most `hop1` people), hop 2 through each of
 * them (at most `hop2PerNode` each; a person already at hop 1, or the root, is not repeated),
 * and for every node the number of live customers linked to it by any relationship.
 */
async function oneDirection(
  db: Queryable,
  workspaceId: string,
  personId: string,
  direction: 'influences' | 'influencedBy',
) {
  const first = edges(direction, sql`${personId}`);
  const second = edges(direction, sql`h.id`);
  const { hop1, hop2PerNode } = influenceCaps;
  const result = await sql<NodeRow>`
    with hop1_plus as (
      select n.id, n.display_name, n.stage, n.sort_name from people n
      where n.workspace_id = ${workspaceId} and n.deleted_at is null and n.id <> ${personId}
        and n.id in (select ${first.next} from relationships r where r.workspace_id = ${workspaceId} and ${first.where})
      order by n.sort_name, n.id limit ${hop1 + 1}
    ),
    hop1 as (select * from hop1_plus order by sort_name, id limit ${hop1}),
    hop2_raw as (
      select m.*, h.id as via, h.sort_name as via_sort from hop1 h
      cross join lateral (
        select n.id, n.display_name, n.stage, n.sort_name,
          row_number() over (order by n.sort_name, n.id) as rn
        from people n
        where n.workspace_id = ${workspaceId} and n.deleted_at is null and n.id <> ${personId}
          and n.id in (select ${second.next} from relationships r where r.workspace_id = ${workspaceId} and ${second.where})
        order by n.sort_name, n.id limit ${hop2PerNode + 1}
      ) m
    ),
    hop2 as (
      select distinct on (id) id, display_name, stage, sort_name, via from hop2_raw
      where rn <= ${hop2PerNode} and id not in (select id from hop1)
      order by id, via_sort, via
    ),
    nodes as (
      select id, display_name, stage, sort_name, 0 as hop, null::uuid as via from people
        where workspace_id = ${workspaceId} and id = ${personId}
      union all select id, display_name, stage, sort_name, 1, null::uuid from hop1
      union all select id, display_name, stage, sort_name, 2, via from hop2
    )
    select nodes.id, nodes.display_name, nodes.stage, nodes.hop, nodes.via,
      (select count(distinct c.id) from relationships r
        join people c on c.workspace_id = r.workspace_id and c.deleted_at is null and c.stage = 'customer'
          and c.id = case when r.from_id = nodes.id then r.to_id else r.from_id end
        where r.workspace_id = ${workspaceId} and r.from_type = 'person' and r.to_type = 'person'
          and (r.from_id = nodes.id or r.to_id = nodes.id)) as customer_count,
      ((select count(*) from hop1_plus) > ${hop1} or exists (select 1 from hop2_raw where rn > ${hop2PerNode}))
        as truncated
    from nodes
    order by nodes.hop, nodes.sort_name, nodes.id`.execute(db);
  return result.rows;
}

const toNode = (row: NodeRow): InfluenceNode => ({
  id: row.id,
  displayName: row.display_name,
  stage: row.stage,
  hop: row.hop === 1 ? 1 : 2,
  via: row.via,
  customerCount: Number(row.customer_count),
});

/** Null when the person is not a live person of the workspace. */
export async function influenceMapOf(
  db: Queryable,
  workspaceId: string,
  personId: string,
): Promise<InfluenceMap | null> {
  const alive = await db
    .selectFrom('people')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', personId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!alive) return null;
  const [out, into] = await Promise.all([
    oneDirection(db, workspaceId, personId, 'influences'),
    oneDirection(db, workspaceId, personId, 'influencedBy'),
  ]);
  const root = out.find((row) => row.hop === 0)!;
  return {
    person: {
      id: root.id,
      displayName: root.display_name,
      stage: root.stage,
      customerCount: Number(root.customer_count),
    },
    influences: out.filter((row) => row.hop > 0).map(toNode),
    influencedBy: into.filter((row) => row.hop > 0).map(toNode),
    truncated: Boolean(out[0]?.truncated || into[0]?.truncated),
  };
}
