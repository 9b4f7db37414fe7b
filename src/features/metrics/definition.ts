import type { RawBuilder } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type {
  MetricFilter,
  MetricInfo,
  MetricInterval,
  MetricItem,
  MetricPoint,
} from '../../shared/metrics.ts';

type SqlBool = RawBuilder<unknown>;

/** Where a computed metric is asked for: the workspace, period bounds and the items filter. */
export interface MetricRunContext {
  db: Queryable;
  workspaceId: string;
  timeZone: string;
  /** Local dates; `to` is included. */
  from: string;
  to: string;
  interval: MetricInterval;
  filter: MetricFilter;
  /** The items filter as SQL on the alias `i` (workspace, merged items and every filter applied). */
  itemsScope: SqlBool;
  /** The bucket starts (YYYY-MM-DD) the series must have, in order. */
  buckets: string[];
  /** Where items are read from (facts.ts): the metric facts by default; 'raw' reads `items` (tests, bench). */
  source?: 'raw' | 'facts' | 'rollup';
  /** The metric's name: the key of its day rollups (with a hash of its SQL); set by `runMetric`. */
  metricName?: string;
}

export interface MetricResult {
  series: MetricPoint[];
  total: Omit<MetricPoint, 'start'>;
}

/**
 * How a metric is computed. The common shapes run as one grouped query over `items i`: the item
 * counts in the bucket of its `anchor` timestamp (e.g. resolved_at), in the workspace time zone.
 */
export type MetricComputation =
  | {
      /** numerator ÷ denominator, as a percentage; no data when the denominator is 0. */
      kind: 'ratio';
      anchor: string;
      where?: SqlBool;
      numerator: SqlBool;
      /** Defaults to every item that passes `where`. */
      denominator?: SqlBool;
    }
  | { kind: 'count'; anchor: string; where?: SqlBool }
  | {
      /** A percentile (0.5 = median) of a per-item value such as minutes to first response. */
      kind: 'percentile';
      anchor: string;
      p: number;
      value: RawBuilder<number>;
      where?: SqlBool;
    }
  | {
      kind: 'custom';
      run(context: MetricRunContext): Promise<MetricResult>;
      /**
       * The items behind the number for the period of `context` (a bucket clicked), newest first:
       * the drill-down. Without it the metric has no item list.
       */
      items?(context: MetricRunContext, limit: number): Promise<MetricItem[]>;
      /** What the item list leaves out (shown with it), e.g. answers that count but are not items. */
      itemsNote?: string;
    };

/** One metric of the catalogue: one file in ./definitions exporting it as `metric`. */
export interface MetricDefinition extends MetricInfo {
  compute: MetricComputation;
  /**
   * Whether values add up over time (a count of events, a cost): a week's value is then a seventh
   * of a 49-day total, and goals scale them. Counts are additive unless they are snapshots.
   */
  additive?: boolean;
}

export const isAdditive = (metric: MetricDefinition) => metric.additive ?? metric.compute.kind === 'count';

/** What the API shows of a metric (without how it is computed). */
export function infoOf(metric: MetricDefinition): MetricInfo {
  return {
    name: metric.name,
    label: metric.label,
    unit: metric.unit,
    better: metric.better,
    description: metric.description,
  };
}
