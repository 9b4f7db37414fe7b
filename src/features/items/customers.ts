import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';

export interface ItemCustomer {
  /** The item (the one asked for, or one merged into it) this customer reported. */
  itemId: string;
  personId: string | null;
  name: string | null;
  /** Where to write to them; null when no email is known (inform them another way). */
  email: string | null;
}

/**
 * Everyone to inform or thank for an item: its own customer and the customers of every item
 * merged into it, one entry per distinct person (or reporter email). A person's primary email
 * comes first, else their first email, else the reporter email the item arrived with.
 */
export async function customersOf(db: Queryable, workspaceId: string, itemIds: readonly string[]) {
  if (itemIds.length === 0) return [];
  const result = await sql<ItemCustomer>`
    select distinct on (coalesce(i.person_id::text, lower(i.reporter_email), i.id::text))
      i.id as "itemId", i.person_id as "personId",
      coalesce(p.display_name, i.reporter_name) as name,
      coalesce(
        (select e->>'value' from jsonb_array_elements(p.emails) e
          order by (e->>'primary')::boolean is true desc limit 1),
        i.reporter_email) as email
    from items i
    left join people p on p.id = i.person_id and p.deleted_at is null
    where i.workspace_id = ${workspaceId}
      and (i.id = any(${itemIds as string[]}::uuid[]) or i.merged_into_id = any(${itemIds as string[]}::uuid[]))
    order by coalesce(i.person_id::text, lower(i.reporter_email), i.id::text), i.merged_into_id nulls first, i.id`.execute(
    db,
  );
  return result.rows;
}
