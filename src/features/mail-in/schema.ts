import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';
import type { Db, Queryable } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type InboundMailStatus = 'received' | 'processed' | 'ignored' | 'failed';

export type InboundMailTable = {
  id: string;
  workspace_id: string;
  mail_from: Generated<string>;
  rcpt_to: string[];
  raw: Buffer;
  size_bytes: number;
  status: Generated<InboundMailStatus>;
  reason: string | null;
  message_id: string | null;
  item_id: string | null;
  received_at: Timestamp;
  processed_at: NullableTimestamp;
};

// Type aliases, not interfaces: withTables wants a Record, which interfaces are not.
export type InboundMailTables = { inbound_mail: InboundMailTable };

export type InboundMailRow = Selectable<InboundMailTable>;

/**
 * The handle with the inbound_mail table known to Kysely. The table belongs to this feature
 * alone, so it is added here rather than to the platform's table list. On a transaction this
 * returns a handle on the same transaction.
 */
export function withInboundMail(db: Queryable): Kysely<Tables & InboundMailTables> {
  return (db as Db).withTables<InboundMailTables>();
}
