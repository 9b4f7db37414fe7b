import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import type { Queryable } from './database.ts';
import type { Tables } from './tables.ts';

/** PostgreSQL accepts at most 65,535 parameters in one statement. */
const maxParameters = 65_535;

/**
 * Writes that return nothing (inserts of events, audit entries, mails…), collected and then run
 * as ONE statement of data-modifying CTEs: `with w0 as (insert …), w1 as (insert …) select 1`.
 * On a server each statement is a round trip (and a context switch on a busy machine); on the
 * embedded database each is a trip through the WASM engine. The statements cannot see each
 * other's rows, but foreign keys between them hold: constraints are checked at the end of the
 * statement.
 *
 * `db` records instead of running: pass it to any writer that only inserts (its queries resolve
 * with no rows), then `run(tx)`.
 */
export class WriteSet {
  private readonly queries: CompiledQuery[] = [];
  readonly db: Kysely<Tables> = new Kysely<Tables>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new RecordingDriver(this.queries),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });

  /** Adds a compiled query (e.g. `tx.insertInto(…).values(…).compile()`). */
  add(query: CompiledQuery): void {
    this.queries.push(query);
  }

  /** Runs what was collected, in as few statements as the parameter limit allows. */
  async run(tx: Queryable): Promise<void> {
    for (const statement of combine(this.queries)) await tx.executeQuery(statement);
    this.queries.length = 0;
  }
}

class RecordingDriver implements Driver {
  constructor(private readonly queries: CompiledQuery[]) {}
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const queries = this.queries;
    return {
      async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
        if (!/^\s*insert\s/i.test(compiled.sql)) {
          throw new Error(`A WriteSet collects inserts only, not: ${compiled.sql.slice(0, 60)}`);
        }
        queries.push(compiled);
        return { rows: [] };
      },
      streamQuery() {
        throw new Error('A WriteSet cannot stream.');
      },
    };
  }
  async beginTransaction() {
    throw new Error('A WriteSet runs inside the caller’s transaction.');
  }
  async commitTransaction() {}
  async rollbackTransaction() {}
  async releaseConnection() {}
  async destroy() {}
}

/** The placeholders of a compiled query are $1…$n, each used at least once and nothing else looks like one. */
function renumbered(query: CompiledQuery, offset: number): string | null {
  let highest = 0;
  const sql = query.sql.replace(/\$(\d+)/g, (_, digits: string) => {
    const index = Number(digits);
    highest = Math.max(highest, index);
    return `$${index + offset}`;
  });
  // A `$n` that is not a placeholder (inside a literal) would be renumbered wrongly: such a
  // query is run on its own.
  if (highest !== query.parameters.length || /'|\$\$/.test(query.sql)) return null;
  return sql;
}

/** The queries as few statements: consecutive ones joined as CTEs while the parameters fit. */
export function combine(queries: readonly CompiledQuery[]): CompiledQuery[] {
  if (queries.length <= 1) return [...queries];
  const statements: CompiledQuery[] = [];
  let parts: string[] = [];
  let parameters: unknown[] = [];
  const flush = () => {
    if (parts.length === 0) return;
    statements.push(
      CompiledQuery.raw(
        `with ${parts.map((part, index) => `w${index} as (${part})`).join(', ')} select 1`,
        parameters,
      ),
    );
    parts = [];
    parameters = [];
  };
  for (const query of queries) {
    if (parameters.length + query.parameters.length > maxParameters) flush();
    const sql = renumbered(query, parameters.length);
    if (sql === null || query.parameters.length > maxParameters) {
      flush();
      statements.push(query);
      continue;
    }
    parts.push(sql);
    parameters = parameters.concat(query.parameters);
  }
  flush();
  return statements;
}
