import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Channel, InteractionType } from '../../shared/interactions.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface InteractionsTable {
  id: string;
  workspace_id: string;
  type: InteractionType;
  channel: Channel | null;
  direction: 'inbound' | 'outbound' | null;
  occurred_at: Timestamp;
  duration_minutes: number | null;
  summary: string;
  outcome: string | null;
  organization_id: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

/** The people taking part; occurred_at is a copy of the interaction's, for the timeline index. */
export interface InteractionPeopleTable {
  workspace_id: string;
  interaction_id: string;
  person_id: string;
  occurred_at: Timestamp;
}

export interface InteractionStaffTable {
  workspace_id: string;
  interaction_id: string;
  user_id: string;
}

export interface InteractionTables {
  interactions: InteractionsTable;
  interaction_people: InteractionPeopleTable;
  interaction_staff: InteractionStaffTable;
}

export type InteractionRow = Selectable<InteractionsTable>;
