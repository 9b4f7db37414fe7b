import type { Queryable } from '../../../platform/db/database.ts';
import {
  defaultTerms,
  type IntentChannel,
  intentChannels,
  type Terms,
  terms,
} from '../../../shared/portal.ts';

/** The terms in force for a person: their newest version, else the defaults. */
export async function termsInForce(
  db: Queryable,
  workspaceId: string,
  personId: string | null,
): Promise<Terms> {
  if (!personId) return defaultTerms;
  const row = await db
    .selectFrom('person_terms')
    .select('terms')
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return defaultTerms;
  const raw = typeof row.terms === 'string' ? JSON.parse(row.terms) : row.terms;
  const parsed = terms.safeParse(raw);
  return parsed.success ? parsed.data : defaultTerms;
}

/** Portal answers are always possible; other channels only when the customer's terms allow them. */
export function allowedIntentChannels(current: Terms): IntentChannel[] {
  return intentChannels.filter((channel) => channel === 'portal' || current.channels[channel]);
}
