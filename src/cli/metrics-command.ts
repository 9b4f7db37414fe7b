import { addDays, localToday } from '../features/goals/dates.ts';
import { findMetric, metricCatalogue } from '../features/metrics/catalogue.ts';
import { metricCsv, runMetric, workspaceTimeZone } from '../features/metrics/run.ts';
import type { Queryable } from '../platform/db/database.ts';
import { type MetricSeries, metricQuery } from '../shared/metrics.ts';

export const metricsUsage = `Usage: rapport metrics                       List the metric catalogue.
       rapport metrics <name> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--interval day|week|month]
                       [--workspace <id or name>] [--format table|csv|json]
                       [--kind K[,K…]] [--channel C[,C…]] [--priority P[,P…]] [--tag T]
Defaults: the last 12 weeks up to today, weekly, in the only workspace, as a table.`;

/** A bad command line: the message says what to fix (main prints it and exits with 1). */
export class MetricsCliError extends Error {
  override name = 'CliError';
}

export type MetricsOptions = Record<string, string | boolean | undefined>;
const formats = ['table', 'csv', 'json'] as const;
const filterOptions = ['kind', 'channel', 'priority', 'tag'] as const;

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const cell = (value: number | null) => (value === null ? 'no data' : String(value));

/** The series as an aligned text table with a total line. */
export function metricTable(series: MetricSeries): string {
  const { metric } = series;
  const header = `${metric.label} (${metric.name}, ${metric.unit}, better ${metric.better}) · ${series.from} – ${series.to} by ${series.interval}, ${series.timeZone}`;
  const rows = [['start', 'value', 'numerator', 'denominator']];
  for (const point of series.series) {
    rows.push([point.start, cell(point.value), cell(point.numerator), cell(point.denominator)]);
  }
  rows.push([
    'total',
    cell(series.total.value),
    cell(series.total.numerator),
    cell(series.total.denominator),
  ]);
  return `${header}\n\n${pad(rows)}\n`;
}

async function chooseWorkspace(db: Queryable, wanted: string | undefined): Promise<string> {
  const workspaces = await db.selectFrom('workspaces').select(['id', 'name']).orderBy('name').execute();
  if (wanted) {
    const found = workspaces.find((row) => row.id === wanted || row.name === wanted);
    if (!found) throw new MetricsCliError(`No workspace "${wanted}". Workspaces: ${list(workspaces)}.`);
    return found.id;
  }
  if (workspaces.length === 1) return workspaces[0]!.id;
  if (workspaces.length === 0)
    throw new MetricsCliError('There is no workspace yet: run `rapport setup` first.');
  throw new MetricsCliError(
    `There are several workspaces; choose one with --workspace: ${list(workspaces)}.`,
  );
}

const list = (rows: { id: string; name: string }[]) =>
  rows.map((row) => `${row.id} (${row.name})`).join(', ');

/**
 * `rapport metrics [name] [options]`: without a name, the catalogue; with one, the metric for
 * a period, validated by the same schema as GET /api/v1/metrics/:name. Returns the text to print.
 */
export async function metricsCommand(
  db: Queryable,
  args: string[],
  options: MetricsOptions,
  now = new Date(),
): Promise<string> {
  const [name, ...extra] = args;
  if (extra.length > 0) throw new MetricsCliError(`Unexpected argument "${extra[0]}".\n${metricsUsage}`);
  const format = options.format ?? 'table';
  if (typeof format !== 'string' || !(formats as readonly string[]).includes(format)) {
    throw new MetricsCliError(`--format must be one of ${formats.join(', ')}.`);
  }
  if (!name) {
    if (format === 'json')
      return `${JSON.stringify(
        metricCatalogue.map(({ compute: _c, ...info }) => info),
        null,
        2,
      )}\n`;
    const rows = [
      ['name', 'unit', 'better', 'label'],
      ...metricCatalogue.map((m) => [m.name, m.unit, m.better, m.label]),
    ];
    return `${pad(rows)}\n\n${metricsUsage}\n`;
  }
  const definition = findMetric(name);
  if (!definition) {
    throw new MetricsCliError(
      `There is no metric "${name}". Run \`rapport metrics\` for the list: ${metricCatalogue.map((m) => m.name).join(', ')}.`,
    );
  }
  const workspaceId = await chooseWorkspace(
    db,
    typeof options.workspace === 'string' ? options.workspace : undefined,
  );
  const today = localToday(now, await workspaceTimeZone(db, workspaceId));
  const weekStart = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
  const raw: Record<string, unknown> = {
    from: options.from ?? addDays(weekStart, -77),
    to: options.to ?? today,
    interval: options.interval ?? 'week',
  };
  for (const key of filterOptions) if (options[key] !== undefined) raw[key] = options[key];
  const parsed = metricQuery.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  --${issue.path.join('.') || 'options'}: ${issue.message}`,
    );
    throw new MetricsCliError(`Invalid options for rapport metrics ${name}:\n${lines.join('\n')}`);
  }
  const { format: _json, ...query } = parsed.data;
  const series = await runMetric(db, workspaceId, definition, query);
  if (format === 'json') return `${JSON.stringify(series, null, 2)}\n`;
  if (format === 'csv') return metricCsv(series);
  return metricTable(series);
}
