import type { ColumnType, Generated } from 'kysely';
import type { GoalStatus } from '../../shared/goals.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string | undefined, string>;
/** A `date` read as text (to_char), so no driver shifts it by a time zone. */
type LocalDate = ColumnType<string, string, string>;

export interface GoalsTable {
  id: string;
  workspace_id: string;
  title: string;
  description: string | null;
  owner_id: string | null;
  targets: Json;
  start_date: LocalDate;
  deadline: LocalDate;
  milestones: Json;
  template: string | null;
  status: GoalStatus | null;
  status_changed_at: NullableTimestamp;
  evaluated_at: NullableTimestamp;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GoalTables {
  goals: GoalsTable;
}
