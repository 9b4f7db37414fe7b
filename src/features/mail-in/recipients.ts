import type { Config } from '../../platform/config.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { replyDomain } from '../items/send.ts';

/** A recipient Rapport takes mail for: an item's reply address, or a workspace's inbound address. */
export type Recipient =
  | { kind: 'reply'; address: string; workspaceId: string; itemId: string }
  | { kind: 'inbound'; address: string; workspaceId: string };

const replyPattern = /^reply\+([A-Za-z0-9_-]{8,100})@(.+)$/;

/** The reply token in reply+<token>@<reply domain>, or null for any other address. */
export function replyTokenOf(config: Config, address: string): string | null {
  const match = replyPattern.exec(address.trim());
  if (!match || match[2]!.toLowerCase() !== replyDomain(config)) return null;
  return match[1]!;
}

/** Whom an envelope recipient reaches, or null when Rapport does not take mail for it. */
export async function resolveRecipient(
  db: Queryable,
  config: Config,
  address: string,
): Promise<Recipient | null> {
  const token = replyTokenOf(config, address);
  if (token) {
    const item = await db
      .selectFrom('items')
      .select(['id', 'workspace_id'])
      .where('reply_token', '=', token)
      .executeTakeFirst();
    return item ? { kind: 'reply', address, workspaceId: item.workspace_id, itemId: item.id } : null;
  }
  const workspace = await db
    .selectFrom('workspaces')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['inbound_address']), '=', address.trim().toLowerCase()))
    .where('inbound_address', 'is not', null)
    .executeTakeFirst();
  return workspace ? { kind: 'inbound', address, workspaceId: workspace.id } : null;
}
