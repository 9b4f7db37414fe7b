import { sql } from 'kysely';
import type { Tx } from '../../../platform/db/database.ts';

/**
 * The literal strings that identify a person, split by how safe they are to replace anywhere:
 * `strong` ones (full names, emails, phones, street lines, websites, handles) identify them on
 * their own; `weak` ones (a single given or family name) are replaced everywhere except in the
 * name columns of other records, so that another "Kim" keeps her name.
 */
export interface PersonalStrings {
  strong: string[];
  weak: string[];
}

/** Strings shorter than this are not swept: they would match too much that is not theirs. */
export const minimumSweepLength = 3;

/** Identity columns of staff users: never swept (a staff member may share a name with a customer). */
const skippedTables = new Set(['users', 'sessions', 'api_tokens', 'invites']);

/** Name columns of other records: only strong strings are replaced there. */
const nameColumns = new Set([
  'people.given_name',
  'people.family_name',
  'people.nickname',
  'people.display_name',
  'people.sort_name',
  'people.search_name',
  'people.search_text',
  'organizations.name',
  'organizations.sort_name',
  'organizations.search_name',
  'organizations.search_text',
]);

const wordChar = /[\p{L}\p{N}_]/u;

/** A PostgreSQL regular expression (ARE) matching `value` literally, as a whole word when it starts or ends with one. */
export function literalPattern(value: string): string {
  const escaped = value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  const before = wordChar.test(value[0] ?? '') ? '(?<![[:alnum:]_])' : '';
  const after = wordChar.test(value.at(-1) ?? '') ? '(?![[:alnum:]_])' : '';
  return `${before}${escaped}${after}`;
}

/** One alternation, longest values first so that an email is replaced whole, not name by name. */
function alternation(values: readonly string[], encode: (value: string) => string = (value) => value) {
  const unique = [
    ...new Set(values.map((value) => value.trim()).filter((v) => v.length >= minimumSweepLength)),
  ];
  unique.sort((a, b) => b.length - a.length);
  return unique.length === 0 ? null : unique.map((value) => literalPattern(encode(value))).join('|');
}

/** How a value appears inside jsonb's text form (quotes and backslashes escaped). */
const jsonEncoded = (value: string) => JSON.stringify(value).slice(1, -1);

interface SweepColumn {
  table_name: string;
  column_name: string;
  kind: 'text' | 'jsonb' | 'array';
}

/** Every text, varchar, jsonb and text-array column of the tables that carry a workspace_id. */
async function sweepColumns(tx: Tx): Promise<SweepColumn[]> {
  const result = await sql<SweepColumn>`
    select c.table_name::text as table_name, c.column_name::text as column_name,
      case when c.data_type = 'jsonb' then 'jsonb' when c.data_type = 'ARRAY' then 'array' else 'text' end as kind
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema()
      and c.is_generated = 'NEVER'
      and c.column_name <> 'workspace_id'
      and (c.data_type in ('text', 'character varying', 'jsonb')
        or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
      and exists (
        select 1 from information_schema.columns w
        where w.table_schema = c.table_schema and w.table_name = c.table_name and w.column_name = 'workspace_id'
      )
    order by c.table_name, c.column_name`.execute(tx);
  return result.rows.filter((column) => !skippedTables.has(column.table_name));
}

/** A row the sweep must leave alone in one column (the notice that tells the customer it is done). */
export interface SweepException {
  table: string;
  column: string;
  id: string;
}

export interface SweepResult {
  /** Rows changed, per table. */
  changed: Record<string, number>;
  /** Columns whose update the database refused (closed vocabularies: a check or unique constraint). */
  refused: string[];
}

/**
 * The safety net of an erasure: replaces every occurrence of the person's strings with
 * '[erased]' in every text, varchar, jsonb and text[] column of every table with a
 * workspace_id, in that workspace. Each column is one UPDATE in its own savepoint, so that a
 * column the database refuses to change (a check constraint on an enum-like column, which
 * cannot hold personal data) does not undo the rest.
 */
export async function sweepPersonalStrings(
  tx: Tx,
  workspaceId: string,
  strings: PersonalStrings,
  exception: SweepException | null,
): Promise<SweepResult> {
  const all = alternation([...strings.strong, ...strings.weak]);
  const strongOnly = alternation(strings.strong);
  const allJson = alternation([...strings.strong, ...strings.weak], jsonEncoded);
  const strongJson = alternation(strings.strong, jsonEncoded);
  const result: SweepResult = { changed: {}, refused: [] };
  if (!all) return result;
  // item_events is append-only except in a transaction that says it rewrites history.
  await sql`select set_config('rapport.rewrite_events', 'on', true)`.execute(tx);
  for (const column of await sweepColumns(tx)) {
    const weakAllowed = !nameColumns.has(`${column.table_name}.${column.column_name}`);
    const pattern = weakAllowed ? all : strongOnly;
    const filterPattern = column.kind === 'jsonb' ? (weakAllowed ? allJson : strongJson) : pattern;
    if (!pattern || !filterPattern) continue;
    const table = sql.table(column.table_name);
    const col = sql.ref(column.column_name);
    const value =
      column.kind === 'jsonb'
        ? sql`erasure_scrub_jsonb(${col}, ${pattern})`
        : column.kind === 'array'
          ? sql`array(select regexp_replace(u.x, ${pattern}, '[erased]', 'gi')
                  from unnest(${col}) with ordinality as u(x, n) order by u.n)`
          : sql`regexp_replace(${col}, ${pattern}, '[erased]', 'gi')`;
    const haystack =
      column.kind === 'jsonb'
        ? sql`${col}::text`
        : column.kind === 'array'
          ? sql`array_to_string(${col}, chr(31))`
          : col;
    const skip =
      exception && exception.table === column.table_name && exception.column === column.column_name
        ? sql`and id <> ${exception.id}`
        : sql``;
    await sql`savepoint erasure_sweep`.execute(tx);
    try {
      const updated = await sql`
        update ${table} set ${col} = ${value}
        where workspace_id = ${workspaceId} and ${haystack} ~* ${filterPattern} ${skip}`.execute(tx);
      await sql`release savepoint erasure_sweep`.execute(tx);
      const count = Number(updated.numAffectedRows ?? 0);
      if (count > 0) result.changed[column.table_name] = (result.changed[column.table_name] ?? 0) + count;
    } catch {
      await sql`rollback to savepoint erasure_sweep`.execute(tx);
      result.refused.push(`${column.table_name}.${column.column_name}`);
    }
  }
  return result;
}
