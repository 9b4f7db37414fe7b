import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Stage } from '../../shared/people.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as a JSON string, read as parsed JSON. */
type Json<T> = ColumnType<T, string | undefined, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface OrganizationsTable {
  id: string;
  workspace_id: string;
  name: string;
  sort_name: string;
  search_name: string;
  search_text: string;
  domains: TextArray;
  industry: string | null;
  size: string | null;
  address: ColumnType<unknown, string | null | undefined, string | null>;
  parent_id: string | null;
  tags: TextArray;
  custom_fields: Json<Record<string, unknown>>;
  notes: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface PeopleTable {
  id: string;
  workspace_id: string;
  given_name: string | null;
  family_name: string | null;
  prefix: string | null;
  suffix: string | null;
  nickname: string | null;
  display_name: string;
  custom_display_name: boolean;
  sort_name: string;
  search_name: string;
  search_text: string;
  pronouns: string | null;
  job_title: string | null;
  stage: Stage;
  source: string | null;
  owner_id: string | null;
  organization_id: string | null;
  /**
   * The organization whose deletion cleared organization_id (migration 0025): restoring it
   * re-links the person if they still have no organization.
   */
  detached_organization_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** A `date`: read it as text (`to_char`) so that no driver shifts it by a time zone. */
  birthday: ColumnType<unknown, string | null | undefined, string | null>;
  emails: Json<unknown[]>;
  phones: Json<unknown[]>;
  addresses: Json<unknown[]>;
  websites: Json<unknown[]>;
  social: Json<unknown[]>;
  important_dates: Json<unknown[]>;
  tags: TextArray;
  custom_fields: Json<Record<string, unknown>>;
  email_keys: TextArray;
  phone_keys: TextArray;
  notes: string | null;
  notes_search: ColumnType<unknown, never, never>;
  last_contacted_at: NullableTimestamp;
  next_follow_up_at: NullableTimestamp;
  /** Set when this person was merged into another (migration 0005). */
  merged_into: string | null;
  /** Null without a photo; bumped on each upload (it goes into the photo URL). */
  photo_version: ColumnType<number | null, number | null | undefined, number | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

/** Filled by a trigger on people (migration 0006): every text the notes had. */
export interface PersonNotesHistoryTable {
  id: ColumnType<string, never, never>;
  workspace_id: string;
  person_id: string;
  notes: string | null;
  author_id: string | null;
  created_at: Timestamp;
}

export interface PersonPhotosTable {
  person_id: string;
  workspace_id: string;
  image: Buffer;
  thumbnail: Buffer;
  updated_at: Timestamp;
}

/** The tables of people and organizations, merged into the platform's `Tables`. */
export interface PeopleTables {
  people: PeopleTable;
  organizations: OrganizationsTable;
  person_notes_history: PersonNotesHistoryTable;
  person_photos: PersonPhotosTable;
}

export type PersonRow = Selectable<PeopleTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
