import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as a JSON string, read as parsed JSON. */
type Json<T> = ColumnType<T, string | undefined, string>;

/** Reference rows a merge moved to the survivor or deleted, per table (see references.ts). */
export type MovedReferences = Record<string, { moved: unknown[]; deleted: unknown[] }>;

export interface MergesTable {
  id: string;
  workspace_id: string;
  survivor_id: string;
  merged_id: string;
  survivor_name: string;
  merged_name: string;
  survivor_before: Json<Record<string, unknown>>;
  merged_before: Json<Record<string, unknown>>;
  survivor_version: number;
  merged_version: number;
  fields: Json<Record<string, string>>;
  moved: Json<MovedReferences>;
  created_by: string | null;
  created_at: Timestamp;
  undone_at: NullableTimestamp;
  undone_by: string | null;
}

export interface DuplicateDismissalsTable {
  workspace_id: string;
  person_a: string;
  person_b: string;
  dismissed_by: string | null;
  created_at: Timestamp;
}

/** Likely pairs, computed from the queue of changed people (refresh.ts; person_a < person_b). */
export interface DuplicateCandidatesTable {
  workspace_id: string;
  person_a: string;
  person_b: string;
  score: ColumnType<string, string, string>;
}

/** The tables of duplicates and merges, merged into the platform's `Tables`. */
export interface MergeTables {
  merges: MergesTable;
  duplicate_dismissals: DuplicateDismissalsTable;
  duplicate_candidates: DuplicateCandidatesTable;
}
