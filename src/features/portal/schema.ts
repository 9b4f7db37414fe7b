import type { ColumnType, Generated } from 'kysely';
import type { ErasureStatus, IntentChannel, IntentStatus } from '../../shared/portal.ts';
import type { ContactChannel, ContactPurpose } from '../../shared/portal-words.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string | undefined, string>;
type Numeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export interface PortalSettingsTable {
  workspace_id: string;
  enabled: Generated<boolean>;
  title: string | null;
  welcome: string | null;
  primary_color: Generated<string>;
  logo: Buffer | null;
  logo_type: 'image/png' | 'image/jpeg' | 'image/webp' | null;
  logo_version: number | null;
  show_items: Generated<boolean>;
  show_suggestions: Generated<boolean>;
  show_articles: Generated<boolean>;
  show_intents: Generated<boolean>;
  public_suggestions: Generated<boolean>;
  public_articles: Generated<boolean>;
  erasure_days: Generated<number>;
  updated_at: Timestamp;
}

export interface PortalMagicLinksTable {
  id: string;
  workspace_id: string;
  email: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  ip: string | null;
}

export interface PortalSessionsTable {
  id: string;
  workspace_id: string;
  email: string;
  person_id: string | null;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface PersonTermsTable {
  id: string;
  workspace_id: string;
  person_id: string;
  version: number;
  terms: Json;
  set_by: 'customer' | 'staff';
  created_at: Timestamp;
}

export interface ContactLogTable {
  id: string;
  workspace_id: string;
  person_id: string;
  channel: ContactChannel;
  purpose: ContactPurpose;
  outbox_id: string | null;
  created_at: Timestamp;
}

export interface ErasureRequestsTable {
  id: string;
  workspace_id: string;
  person_id: string | null;
  email_hash: string;
  reason: string | null;
  status: Generated<ErasureStatus>;
  requested_at: Timestamp;
  due_at: Timestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
  completed_at: NullableTimestamp;
}

export interface SuggestionCommentsTable {
  id: string;
  workspace_id: string;
  item_id: string;
  person_id: string | null;
  user_id: string | null;
  body: string;
  created_at: Timestamp;
}

export interface KbArticlesTable {
  id: string;
  workspace_id: string;
  title: string;
  body: string;
  category: string | null;
  status: Generated<'draft' | 'published'>;
  source_item_id: string | null;
  search: Generated<string>;
  views: Generated<number>;
  helpful_yes: Generated<number>;
  helpful_no: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: NullableTimestamp;
}

export interface KbFeedbackTable {
  id: string;
  workspace_id: string;
  article_id: string;
  person_id: string | null;
  session_id: string | null;
  helpful: boolean;
  context: 'browse' | 'before_submit';
  created_at: Timestamp;
}

export interface IntentsTable {
  id: string;
  workspace_id: string;
  person_id: string;
  what: string;
  budget_min: Numeric;
  budget_max: Numeric;
  currency: string | null;
  wanted_by: ColumnType<string | null, string | null | undefined, string | null>;
  channel: Generated<IntentChannel>;
  status: Generated<IntentStatus>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IntentResponsesTable {
  id: string;
  workspace_id: string;
  intent_id: string;
  user_id: string | null;
  person_id: string | null;
  body: string;
  created_at: Timestamp;
}

export interface PortalTables {
  portal_settings: PortalSettingsTable;
  portal_magic_links: PortalMagicLinksTable;
  portal_sessions: PortalSessionsTable;
  person_terms: PersonTermsTable;
  contact_log: ContactLogTable;
  erasure_requests: ErasureRequestsTable;
  suggestion_comments: SuggestionCommentsTable;
  kb_articles: KbArticlesTable;
  kb_feedback: KbFeedbackTable;
  intents: IntentsTable;
  intent_responses: IntentResponsesTable;
}
