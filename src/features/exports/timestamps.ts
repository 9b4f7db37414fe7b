import { sql } from 'kysely';

/** A timestamp as Date.toISOString writes it (milliseconds, truncated as the drivers do). */
export const isoUtc = (column: string) =>
  sql<string | null>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Whether a timestamp (or null) is written by isoUtc as Date.toISOString writes it: years
 * 1–9999 (JavaScript writes the others as ±YYYYYY, and 1 BC as year 0).
 */
export const isoWritable = (column: string) =>
  sql<boolean>`coalesce(${sql.ref(column)} >= '0001-01-01 00:00:00+00'
    and ${sql.ref(column)} < '10000-01-01 00:00:00+00', true)`;
