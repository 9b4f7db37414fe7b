import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { builtInRelationshipTypes } from '../../shared/relationships.ts';
import type { MovedReferences } from './schema.ts';

/** A→B of these types means the same as B→A, so either direction counts as a duplicate. */
const symmetricTypes = new Set(
  builtInRelationshipTypes.filter((type) => type.symmetric).map((type) => type.key),
);

/**
 * Everything that points at a person and must follow a merge. Each table has a `move` (merged
 * person → survivor, returning what undo needs: keys of moved rows and full copies of deleted
 * ones) and a `restore` (the reverse). A new table that references people (e.g. items.person_id
 * of the listening register) adds one entry here.
 */
interface ReferenceTable {
  move(
    tx: Queryable,
    workspaceId: string,
    fromId: string,
    toId: string,
  ): Promise<{ moved: unknown[]; deleted: unknown[] }>;
  restore(
    tx: Queryable,
    workspaceId: string,
    fromId: string,
    toId: string,
    record: { moved: unknown[]; deleted: unknown[] },
  ): Promise<void>;
}

const json = (value: unknown) => sql`cast(${JSON.stringify(value)} as jsonb)`;

/** Participation in interactions. When both took part in one, the merged person's row goes. */
const interactionPeople: ReferenceTable = {
  async move(tx, workspaceId, fromId, toId) {
    const deleted = await sql<{ row: unknown }>`
      delete from interaction_people ip
      where ip.workspace_id = ${workspaceId} and ip.person_id = ${fromId}
        and exists (select 1 from interaction_people s
                    where s.interaction_id = ip.interaction_id and s.person_id = ${toId})
      returning to_jsonb(ip) as row`.execute(tx);
    const moved = await sql<{ interaction_id: string }>`
      update interaction_people set person_id = ${toId}
      where workspace_id = ${workspaceId} and person_id = ${fromId}
      returning interaction_id`.execute(tx);
    return {
      moved: moved.rows.map((row) => row.interaction_id),
      deleted: deleted.rows.map((row) => row.row),
    };
  },
  async restore(tx, workspaceId, fromId, toId, record) {
    if (record.moved.length > 0) {
      await sql`
        update interaction_people set person_id = ${fromId}
        where workspace_id = ${workspaceId} and person_id = ${toId}
          and interaction_id = any(cast(${record.moved} as uuid[]))`.execute(tx);
    }
    if (record.deleted.length > 0) {
      // An interaction purged since the merge takes its participants with it: skip those.
      await sql`
        insert into interaction_people
        select r.* from jsonb_populate_recordset(null::interaction_people, ${json(record.deleted)}) r
        where r.workspace_id = ${workspaceId}
          and exists (select 1 from interactions i where i.id = r.interaction_id)
        on conflict do nothing`.execute(tx);
    }
  },
};

interface RelationshipRow {
  id: string;
  from_type: string;
  from_id: string;
  to_type: string;
  to_id: string;
  type: string;
  row: unknown;
}
interface MovedRelationship {
  id: string;
  from: boolean;
  to: boolean;
}

/**
 * Links from or to the merged person are repointed to the survivor; a link that would become
 * a self-link (the two were linked to each other) or a duplicate of one the survivor already
 * has (either direction for symmetric types such as friend) is deleted instead. A person has few links, so they are compared in memory.
 */
const relationships: ReferenceTable = {
  async move(tx, workspaceId, fromId, toId) {
    const { rows } = await sql<RelationshipRow>`
      select r.id, r.from_type, r.from_id, r.to_type, r.to_id, r.type, to_jsonb(r) as row
      from relationships r
      where r.workspace_id = ${workspaceId}
        and ((r.from_type = 'person' and r.from_id in (${fromId}, ${toId}))
          or (r.to_type = 'person' and r.to_id in (${fromId}, ${toId})))
      order by r.id`.execute(tx);
    const key = (row: RelationshipRow) =>
      `${row.from_type}|${row.from_id}|${row.type}|${row.to_type}|${row.to_id}`;
    const reversedKey = (row: RelationshipRow) =>
      `${row.to_type}|${row.to_id}|${row.type}|${row.from_type}|${row.from_id}`;
    const isDuplicate = (row: RelationshipRow) =>
      keys.has(key(row)) || (symmetricTypes.has(row.type) && keys.has(reversedKey(row)));
    const isMergedEnd = (type: string, id: string) => type === 'person' && id === fromId;
    const touchesMerged = (row: RelationshipRow) =>
      isMergedEnd(row.from_type, row.from_id) || isMergedEnd(row.to_type, row.to_id);
    const keys = new Set(rows.filter((row) => !touchesMerged(row)).map(key));
    const moved: MovedRelationship[] = [];
    const deleted: RelationshipRow[] = [];
    for (const row of rows.filter(touchesMerged)) {
      const from = isMergedEnd(row.from_type, row.from_id);
      const to = isMergedEnd(row.to_type, row.to_id);
      const next = { ...row, from_id: from ? toId : row.from_id, to_id: to ? toId : row.to_id };
      const selfLink = next.from_type === next.to_type && next.from_id === next.to_id;
      if (selfLink || isDuplicate(next)) deleted.push(row);
      else {
        keys.add(key(next));
        moved.push({ id: row.id, from, to });
      }
    }
    if (deleted.length > 0) {
      await sql`delete from relationships where workspace_id = ${workspaceId}
        and id = any(cast(${deleted.map((row) => row.id)} as uuid[]))`.execute(tx);
    }
    if (moved.length > 0) await repoint(tx, workspaceId, moved, toId);
    return { moved, deleted: deleted.map((row) => row.row) };
  },
  async restore(tx, workspaceId, fromId, _toId, record) {
    if (record.moved.length > 0) await repoint(tx, workspaceId, record.moved as MovedRelationship[], fromId);
    if (record.deleted.length > 0) {
      await sql`
        insert into relationships
        select r.* from jsonb_populate_recordset(null::relationships, ${json(record.deleted)}) r
        where r.workspace_id = ${workspaceId}
        on conflict do nothing`.execute(tx);
    }
  },
};

/** Sets the moved ends (`from`, `to` flags per link) of the given links to `personId`. */
async function repoint(tx: Queryable, workspaceId: string, links: MovedRelationship[], personId: string) {
  await sql`
    update relationships r
    set from_id = case when m."from" then cast(${personId} as uuid) else r.from_id end,
        to_id = case when m."to" then cast(${personId} as uuid) else r.to_id end
    from jsonb_to_recordset(${json(links)}) as m(id uuid, "from" boolean, "to" boolean)
    where r.id = m.id and r.workspace_id = ${workspaceId}`.execute(tx);
}

const referenceTables: Record<string, ReferenceTable> = {
  interaction_people: interactionPeople,
  relationships,
};

/** Moves every reference to the merged person over to the survivor; undo needs what it returns. */
export async function moveReferences(
  tx: Queryable,
  workspaceId: string,
  mergedId: string,
  survivorId: string,
): Promise<MovedReferences> {
  const record: MovedReferences = {};
  for (const [table, mover] of Object.entries(referenceTables)) {
    record[table] = await mover.move(tx, workspaceId, mergedId, survivorId);
  }
  return record;
}

/** Puts back what moveReferences moved and deleted. */
export async function restoreReferences(
  tx: Queryable,
  workspaceId: string,
  mergedId: string,
  survivorId: string,
  record: MovedReferences,
): Promise<void> {
  for (const [table, moved] of Object.entries(record)) {
    await referenceTables[table]?.restore(tx, workspaceId, mergedId, survivorId, moved);
  }
}
