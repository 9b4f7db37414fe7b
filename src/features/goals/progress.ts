import type { Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Goal, GoalProgress, GoalTarget, TargetProgress } from '../../shared/goals.ts';
import type { MetricInfo } from '../../shared/metrics.ts';
import { findMetric } from '../metrics/catalogue.ts';
import { infoOf, isAdditive, type MetricDefinition } from '../metrics/definition.ts';
import { runMetric } from '../metrics/run.ts';
import { addDays, daysBetween, minDate } from './dates.ts';
import { fitLine, forecastMethod, predict } from './forecast.ts';
import { goalStatus, targetStatus } from './status.ts';

const round = (value: number) => Math.round(value * 100) / 100;

export function metricOf(name: string): MetricDefinition {
  const metric = findMetric(name);
  if (!metric) throw new AppError('unprocessable', `There is no metric "${name}" (see GET /api/v1/metrics).`);
  return metric;
}

function targetText(target: GoalTarget, metric: MetricInfo, baseline: number | null): string {
  const unit = metric.unit === 'percent' ? '%' : metric.unit === 'minutes' ? ' min' : '';
  if (target.target.type === 'relative') {
    const sign = target.target.value > 0 ? '+' : '−';
    return `${sign}${Math.abs(target.target.value)}% from ${baseline === null ? 'the baseline' : `${round(baseline)}${unit}`}`;
  }
  return `${metric.better === 'up' ? '≥' : '≤'} ${target.target.value}${unit}`;
}

async function evaluateTarget(
  db: Queryable,
  workspaceId: string,
  goal: Goal,
  target: GoalTarget,
  today: string,
): Promise<TargetProgress> {
  const definition = metricOf(target.metric);
  const metric = infoOf(definition);
  const filter = target.filter;
  const baselineRun = await runMetric(db, workspaceId, definition, {
    ...filter,
    from: target.baselineFrom,
    to: target.baselineTo,
    interval: 'month',
  });
  const baseline = baselineRun.total.value;
  const targetValue =
    target.target.type === 'absolute'
      ? target.target.value
      : baseline === null
        ? null
        : round(baseline * (1 + target.target.value / 100));

  // "Now" is the metric over a window as long as the baseline, ending today (or at the deadline).
  const windowDays = daysBetween(target.baselineFrom, target.baselineTo) + 1;
  const currentTo = minDate(today, goal.deadline);
  const currentFrom = addDays(currentTo, 1 - windowDays);
  const currentRun = await runMetric(db, workspaceId, definition, {
    ...filter,
    from: currentFrom,
    to: currentTo,
    interval: 'month',
  });
  const current = currentRun.total.value;

  const seriesFrom = minDate(target.baselineFrom, goal.startDate);
  const interval = daysBetween(seriesFrom, currentTo) > 730 ? 'month' : 'week';
  const seriesRun = await runMetric(db, workspaceId, definition, {
    ...filter,
    from: seriesFrom,
    to: currentTo,
    interval,
  });
  const bucketDays = interval === 'week' ? 7 : 30.44;
  // Additive values (a week's count or cost) are scaled to the window's length to compare with the target.
  const scale = isAdditive(definition) ? windowDays / bucketDays : 1;
  const origin = seriesRun.series[0]?.start ?? seriesFrom;
  const lastFull = addDays(currentTo, -Math.ceil(bucketDays));
  const fitPoints = seriesRun.series
    .filter((point) => point.value !== null && point.start >= addDays(goal.startDate, -Math.ceil(bucketDays)))
    .filter((point) => point.start <= lastFull)
    .map((point) => ({ x: daysBetween(origin, point.start), y: point.value! * scale }));
  const fit = fitLine(fitPoints);
  let forecast: TargetProgress['forecast'] = null;
  if (fit) {
    // A line can run past what the metric can be: a percentage stays within 0–100, others ≥ 0.
    const bound = (value: number) =>
      round(Math.min(metric.unit === 'percent' ? 100 : Infinity, Math.max(0, value)));
    const points: { start: string; value: number; low: number; high: number }[] = [];
    const lastX = fitPoints.at(-1)!.x;
    for (let x = lastX; x <= daysBetween(origin, goal.deadline); x += Math.round(bucketDays)) {
      const p = predict(fit, x);
      points.push({
        start: addDays(origin, x),
        value: round(p.value),
        low: round(p.low),
        high: round(p.high),
      });
    }
    const atDeadline = predict(fit, daysBetween(origin, goal.deadline));
    forecast = {
      method: forecastMethod,
      valueAtDeadline: bound(atDeadline.value),
      low: bound(atDeadline.low),
      high: bound(atDeadline.high),
      points,
    };
  }

  const progress =
    current === null || baseline === null || targetValue === null
      ? null
      : targetValue === baseline
        ? 1
        : round((current - baseline) / (targetValue - baseline));
  const totalDays = daysBetween(goal.startDate, goal.deadline);
  const elapsed = Math.min(1, Math.max(0, daysBetween(goal.startDate, today) / totalDays));
  const status = targetStatus({
    better: metric.better,
    current,
    target: targetValue,
    forecast: forecast?.valueAtDeadline ?? null,
    progress,
    elapsed,
    pastDeadline: today > goal.deadline,
  });
  return {
    metric,
    filter,
    baseline: {
      value: baseline,
      from: target.baselineFrom,
      to: target.baselineTo,
      how: `${metric.label} over ${target.baselineFrom} – ${target.baselineTo} (${windowDays} days), with the goal's filters.`,
    },
    targetValue,
    targetText: targetText(target, metric, baseline),
    current: { value: current, from: currentFrom, to: currentTo },
    progress,
    met: current === null || targetValue === null ? null : status === 'achieved',
    forecast,
    series: seriesRun.series,
    status,
  };
}

/** Evaluates every target of a goal as of `today` (a local date in the workspace's time zone). */
export async function evaluateGoal(
  db: Queryable,
  workspaceId: string,
  goal: Goal,
  today: string,
): Promise<GoalProgress> {
  const targets: TargetProgress[] = [];
  for (const target of goal.targets) targets.push(await evaluateTarget(db, workspaceId, goal, target, today));
  return { goal, status: goalStatus(targets.map((target) => target.status)), evaluatedOn: today, targets };
}
