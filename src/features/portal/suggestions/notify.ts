import { sql } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';
import { queueMail } from '../../../platform/mail/outbox.ts';
import { type BoardStatus, boardStatusLabels } from '../../../shared/portal-words.ts';
import { checkContact, recordContact } from '../terms/enforce.ts';

const primaryEmail = sql<string | null>`(select e->>'value' from jsonb_array_elements(p.emails) e
  order by (e->>'primary')::boolean is true desc limit 1)`;

export interface StatusChange {
  workspaceId: string;
  workspaceName: string;
  portalSlug: string;
  origin: string;
  item: { id: string; ref: number; subject: string };
  status: BoardStatus;
  response: string | null;
  now: Date;
}

/**
 * Emails every customer who voted for the suggestion (one mail per person, to their primary
 * email) that its status changed, in the caller's transaction. Voters whose terms refuse
 * service email are skipped. Returns how many were mailed.
 */
export async function informVoters(tx: Queryable, change: StatusChange): Promise<number> {
  const voters = await tx
    .selectFrom('item_votes as v')
    .innerJoin('people as p', 'p.id', 'v.person_id')
    .select(['p.id', 'p.given_name', primaryEmail.as('email')])
    .where('v.workspace_id', '=', change.workspaceId)
    .where('v.item_id', '=', change.item.id)
    .where('p.deleted_at', 'is', null)
    .orderBy('v.id')
    .execute();
  const label = boardStatusLabels[change.status];
  const link = `${change.origin}/portal/${change.portalSlug}/suggestions/${change.item.id}`;
  let informed = 0;
  for (const voter of voters) {
    if (!voter.email) continue;
    // Terms enforcement: the voter decides whether service email may reach them.
    const check = await checkContact(tx, {
      workspaceId: change.workspaceId,
      personId: voter.id,
      channel: 'email',
      purpose: 'service',
      now: change.now,
    });
    if (!check.allowed) continue;
    const greeting = voter.given_name?.trim() ? `Hello ${voter.given_name.trim()},` : 'Hello,';
    const outboxId = await queueMail(tx, {
      workspaceId: change.workspaceId,
      to: voter.email,
      subject: `"${change.item.subject}" is now ${label.toLowerCase()}`,
      text: [
        greeting,
        '',
        `You voted for the suggestion "${change.item.subject}" (#${change.item.ref}). Its status is now: ${label}.`,
        ...(change.response ? ['', `${change.workspaceName} says:`, change.response] : []),
        '',
        `See it and the comments: ${link}`,
        '',
        `— ${change.workspaceName}`,
      ].join('\n'),
      entity: 'item',
      entityId: change.item.id,
    });
    await recordContact(tx, {
      workspaceId: change.workspaceId,
      personId: voter.id,
      channel: 'email',
      purpose: 'service',
      outboxId,
      now: change.now,
    });
    informed += 1;
  }
  return informed;
}
