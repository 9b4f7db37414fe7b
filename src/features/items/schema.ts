import type { ColumnType, Generated, Selectable } from 'kysely';
import type {
  ItemChannel,
  ItemKind,
  ItemStatus,
  LadderLevel,
  ObservationType,
  Priority,
  Sentiment,
} from '../../shared/listening.ts';
import type { NotificationType } from '../../shared/notifications.ts';
import type { ProblemStatus } from '../../shared/problems.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string | undefined, string>;

export interface TeamsTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: Timestamp;
}

export interface ItemCategoriesTable {
  id: string;
  workspace_id: string;
  name: string;
  observation_template: Json;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProblemsTable {
  id: string;
  workspace_id: string;
  title: string;
  hypothesis: Generated<string>;
  owner_id: string | null;
  status: Generated<ProblemStatus>;
  fix_summary: string | null;
  fixed_at: NullableTimestamp;
  fixed_by: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ItemsTable {
  id: string;
  ref: Generated<string>;
  workspace_id: string;
  kind: ItemKind;
  channel: ItemChannel;
  subject: string;
  body: Generated<string>;
  person_id: string | null;
  reporter_name: string | null;
  reporter_email: string | null;
  organization_id: string | null;
  category_id: string | null;
  priority: Generated<Priority>;
  sentiment: Sentiment | null;
  status: Generated<ItemStatus>;
  owner_id: string | null;
  team_id: string | null;
  escalation_level: Generated<LadderLevel>;
  escalated_at: NullableTimestamp;
  tags: Generated<string[]>;
  first_response_due_at: NullableTimestamp;
  resolution_due_at: NullableTimestamp;
  first_responded_at: NullableTimestamp;
  first_response_breached_at: NullableTimestamp;
  resolution_breached_at: NullableTimestamp;
  sla_paused_at: NullableTimestamp;
  /** Business minutes paused so far (migration 0008). */
  sla_paused_minutes: Generated<number>;
  sla_warned_at: NullableTimestamp;
  sla_next_check_at: NullableTimestamp;
  acknowledged_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  resolution: string | null;
  informed_at: NullableTimestamp;
  thanked_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  close_reason: string | null;
  reopened_count: Generated<number>;
  staff_reply_count: Generated<number>;
  problem_id: string | null;
  /** The customer's rating of how the item was handled (portal), 1–5. */
  rating: number | null;
  rating_comment: string | null;
  rated_at: NullableTimestamp;
  /** Suggestions board: null = not on the board. */
  board_status: 'under_review' | 'planned' | 'done' | 'declined' | null;
  board_response: string | null;
  board_updated_at: NullableTimestamp;
  /** Recorded staff handling time, in minutes (null: the channel's estimate from the cost settings). */
  handling_minutes: number | null;
  merged_into_id: string | null;
  vote_count: Generated<number>;
  reply_token: string;
  created_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type EventActorType = 'user' | 'token' | 'system' | 'customer' | 'anonymous';

export interface ItemEventsTable {
  id: string;
  workspace_id: string;
  item_id: string;
  type: string;
  actor_type: EventActorType;
  actor_id: string | null;
  data: Json;
  created_at: Timestamp;
}

export interface ItemMessagesTable {
  id: string;
  workspace_id: string;
  item_id: string;
  kind: 'outbound' | 'inbound' | 'note';
  author_user_id: string | null;
  person_id: string | null;
  from_address: string | null;
  to_address: string | null;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  message_id: string | null;
  outbox_id: string | null;
  /** How the message came or went: by email, through the portal, or written by staff. */
  via: 'email' | 'portal' | 'staff' | null;
  created_at: Timestamp;
}

export interface ItemAttachmentsTable {
  id: string;
  workspace_id: string;
  item_id: string;
  message_id: string | null;
  filename: string;
  content_type: string;
  size_bytes: number;
  data: Buffer;
  created_at: Timestamp;
}

export interface ItemObservationsTable {
  id: string;
  workspace_id: string;
  item_id: string;
  key: string;
  value_type: ObservationType;
  value: Json;
  value_key: string;
  author_user_id: string | null;
  created_at: Timestamp;
}

export interface ItemVotesTable {
  id: string;
  workspace_id: string;
  item_id: string;
  person_id: string | null;
  user_id: string | null;
  created_at: Timestamp;
}

export interface SlaPoliciesTable {
  workspace_id: string;
  kind: ItemKind;
  priority: Priority;
  first_response_minutes: number | null;
  resolution_minutes: number | null;
  updated_at: Timestamp;
}

export interface BusinessHoursTable {
  workspace_id: string;
  time_zone: string;
  schedule: Json;
  holidays: Json;
  warn_before_minutes: Generated<number>;
  updated_at: Timestamp;
}

export interface EscalationRulesTable {
  id: string;
  workspace_id: string;
  trigger: 'first_response_breach' | 'resolution_breach' | 'resolution_overdue';
  factor: string | null;
  level: Exclude<LadderLevel, 'agent'>;
  position: Generated<number>;
  created_at: Timestamp;
}

export interface MessageTemplatesTable {
  workspace_id: string;
  purpose: 'acknowledgement' | 'thank_you' | 'fix_notice';
  kind: ItemKind;
  enabled: boolean;
  subject: string;
  body: string;
  updated_at: Timestamp;
}

export interface NotificationsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  type: NotificationType;
  item_id: string | null;
  problem_id: string | null;
  title: string;
  body: Generated<string>;
  read_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ListeningTables {
  teams: TeamsTable;
  item_categories: ItemCategoriesTable;
  problems: ProblemsTable;
  items: ItemsTable;
  item_events: ItemEventsTable;
  item_messages: ItemMessagesTable;
  item_attachments: ItemAttachmentsTable;
  item_observations: ItemObservationsTable;
  item_votes: ItemVotesTable;
  sla_policies: SlaPoliciesTable;
  business_hours: BusinessHoursTable;
  escalation_rules: EscalationRulesTable;
  message_templates: MessageTemplatesTable;
  notifications: NotificationsTable;
}

export type ItemRow = Selectable<ItemsTable>;
export type ProblemRow = Selectable<ProblemsTable>;
