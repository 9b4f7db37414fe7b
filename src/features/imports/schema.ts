import type { ColumnType, Selectable } from 'kysely';
import type { ImportFormat, ImportPreset, OnMatchPolicy } from '../../shared/imports.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Count = ColumnType<number, number | undefined, number>;

export interface ImportsTable {
  id: string;
  workspace_id: string;
  created_by: string | null;
  file_name: string;
  file_size: ColumnType<string, number | undefined, number>;
  format: ImportFormat;
  encoding: string | null;
  preset: ImportPreset | null;
  mapping: ColumnType<unknown, string | null | undefined, string | null>;
  dry_run: boolean;
  on_match: OnMatchPolicy;
  status: 'uploading' | 'queued' | 'running' | 'done' | 'failed';
  total: number | null;
  processed: Count;
  created: Count;
  updated: Count;
  skipped: Count;
  failed: Count;
  warnings: Count;
  organizations_created: Count;
  committed_row: Count;
  bytes_read: ColumnType<string, number | undefined, number>;
  message: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface ImportFilesTable {
  import_id: string;
  workspace_id: string;
  seq: number;
  data: Uint8Array;
}

export interface ImportErrorsTable {
  id: ColumnType<string, never, never>;
  import_id: string;
  workspace_id: string;
  row: number;
  severity: 'error' | 'warning';
  message: string;
}

/** The tables of imports, merged into the platform's `Tables`. */
export interface ImportTables {
  imports: ImportsTable;
  import_files: ImportFilesTable;
  import_errors: ImportErrorsTable;
}

export type ImportRow = Selectable<ImportsTable>;
