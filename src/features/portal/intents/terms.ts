import type { Queryable } from '../../../platform/db/database.ts';
import { defaultTerms, type IntentChannel, intentChannels, type Terms } from '../../../shared/portal.ts';
import { currentTerms } from '../terms/queries.ts';

/** The terms in force for a person (the defaults for a customer who has no record yet). */
export async function termsInForce(
  db: Queryable,
  workspaceId: string,
  personId: string | null,
): Promise<Terms> {
  return personId ? (await currentTerms(db, workspaceId, personId)).terms : defaultTerms;
}

/** Portal answers are always possible; other channels only when the customer's terms allow them. */
export function allowedIntentChannels(current: Terms): IntentChannel[] {
  return intentChannels.filter((channel) => channel === 'portal' || current.channels[channel]);
}
