import type { GoalTargetValue } from '../../shared/goals.ts';
import type { MetricInfo } from '../../shared/metrics.ts';
import { formatValue } from './api.ts';

/** The target as a person reads it: "≥ 60%", "≤ 30 min", "−40% from the baseline". */
export function targetPreview(target: GoalTargetValue, metric: MetricInfo | undefined): string {
  if (!Number.isFinite(target.value)) return '';
  if (target.type === 'relative') {
    const sign = target.value > 0 ? '+' : target.value < 0 ? '−' : '±';
    return `${sign}${Math.abs(target.value)}% from the baseline`;
  }
  if (!metric) return String(target.value);
  return `${metric.better === 'up' ? '≥' : '≤'} ${formatValue(target.value, metric.unit)}`;
}
