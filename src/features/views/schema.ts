import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface SavedViewsTable {
  id: string;
  workspace_id: string;
  owner_id: string;
  entity: 'person' | 'organization' | 'item';
  name: string;
  shared: boolean;
  query: Json<Record<string, unknown>>;
  columns: Json<string[]>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SavedViewTables {
  saved_views: SavedViewsTable;
}

export type SavedViewRow = Selectable<SavedViewsTable>;
