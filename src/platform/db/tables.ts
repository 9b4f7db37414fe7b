import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CustomFieldTables } from '../../features/custom-fields/schema.ts';
import type { GoalTables } from '../../features/goals/schema.ts';
import type { ImportTables } from '../../features/imports/schema.ts';
import type { InteractionTables } from '../../features/interactions/schema.ts';
import type { ListeningTables } from '../../features/items/schema.ts';
import type { MergeTables } from '../../features/merges/schema.ts';
import type { PeopleTables } from '../../features/people/schema.ts';
import type { PortalTables } from '../../features/portal/schema.ts';
import type { RelationshipTables } from '../../features/relationships/schema.ts';
import type { SavedViewTables } from '../../features/views/schema.ts';
import type { LadderLevel } from '../../shared/listening.ts';
import type { Role } from '../../shared/roles.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string | undefined | null, string | null>;

export interface WorkspacesTable {
  id: string;
  name: string;
  inbound_address: string | null;
  /** The portal lives at /portal/<portal_slug>; a trigger derives it from the name when not given. */
  portal_slug: Generated<string>;
  created_at: Timestamp;
}

export interface UsersTable {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: Role;
  status: 'invited' | 'active' | 'disabled';
  /** Null: derived from the role (ladderLevelOfRole). */
  ladder_level: LadderLevel | null;
  team_id: string | null;
  digest_opt_out: Generated<boolean>;
  password_hash: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: NullableTimestamp;
}

export interface SessionsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  workspace_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface InvitesTable {
  id: string;
  workspace_id: string;
  user_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: string;
  workspace_id: string | null;
  actor_type: 'user' | 'token' | 'system' | 'anonymous' | 'customer';
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json;
  after: Json;
  request_id: string | null;
  created_at: Timestamp;
}

export interface RateLimitsTable {
  key: string;
  window_start: Date;
  count: Generated<number>;
}

export type OutboxStatus = 'queued' | 'sent' | 'not_sent' | 'failed';
export interface OutboxTable {
  id: string;
  workspace_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  status: OutboxStatus;
  error: string | null;
  entity: string | null;
  entity_id: string | null;
  reply_to: string | null;
  /** Extra headers (Message-ID, In-Reply-To, References…) as a JSON object. */
  headers: Json;
  attempts: Generated<number>;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';
export interface JobsTable {
  id: string;
  workspace_id: string | null;
  kind: string;
  payload: Json;
  status: JobStatus;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  last_error: string | null;
  locked_at: NullableTimestamp;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface IdempotencyKeysTable {
  actor_id: string;
  key: string;
  workspace_id: string;
  request_hash: string;
  status_code: number | null;
  response: Json;
  created_at: Timestamp;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface Tables
  extends PeopleTables,
    InteractionTables,
    RelationshipTables,
    ImportTables,
    MergeTables,
    CustomFieldTables,
    SavedViewTables,
    ListeningTables,
    PortalTables,
    GoalTables {
  workspaces: WorkspacesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  invites: InvitesTable;
  audit_log: AuditLogTable;
  rate_limits: RateLimitsTable;
  outbox: OutboxTable;
  jobs: JobsTable;
  idempotency_keys: IdempotencyKeysTable;
  schema_migrations: SchemaMigrationsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type JobRow = Selectable<JobsTable>;
export type OutboxRow = Selectable<OutboxTable>;
