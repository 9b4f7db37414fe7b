import type { ColumnType, Selectable } from 'kysely';
import type { PartyType } from '../../shared/relationships.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** A typed, directed link; the endpoints are polymorphic (a trigger drops links of purged parties). */
export interface RelationshipsTable {
  id: string;
  workspace_id: string;
  from_type: PartyType;
  from_id: string;
  to_type: PartyType;
  to_id: string;
  type: string;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

/** Types a workspace adds to the built-in ones (src/shared/relationships.ts). */
export interface RelationshipTypesTable {
  id: string;
  workspace_id: string;
  key: string;
  label: string;
  inverse_label: string | null;
  created_at: Timestamp;
}

export interface RelationshipTables {
  relationships: RelationshipsTable;
  relationship_types: RelationshipTypesTable;
}

export type RelationshipRow = Selectable<RelationshipsTable>;
export type RelationshipTypeRow = Selectable<RelationshipTypesTable>;
