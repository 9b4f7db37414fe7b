import type { GoalStatus } from '../../shared/goals.ts';

export interface TargetState {
  better: 'up' | 'down';
  current: number | null;
  target: number | null;
  /** The forecast value at the deadline (comparable with `target`), when there is one. */
  forecast: number | null;
  progress: number | null;
  /** How much of the time from start to deadline has passed, 0..1. */
  elapsed: number;
  pastDeadline: boolean;
}

export const meets = (better: 'up' | 'down', value: number, target: number) =>
  better === 'up' ? value >= target : value <= target;

/**
 * achieved: the current value meets the target. missed: the deadline passed without it.
 * on_track: the forecast meets the target by the deadline (without a forecast: progress keeps pace
 * with the time elapsed). at_risk: it gets at least halfway there. off_track: less. No data yet
 * counts as at risk.
 */
export function targetStatus(state: TargetState): GoalStatus {
  const { better, current, target } = state;
  if (current !== null && target !== null && meets(better, current, target)) return 'achieved';
  if (state.pastDeadline) return 'missed';
  if (current === null || target === null || state.progress === null) return 'at_risk';
  if (state.forecast !== null) {
    if (meets(better, state.forecast, target)) return 'on_track';
    // How far the forecast gets from the current value towards the target.
    const span = target - current;
    const reach = span === 0 ? 1 : (state.forecast - current) / span;
    return state.progress + (1 - state.progress) * reach >= 0.5 ? 'at_risk' : 'off_track';
  }
  if (state.progress >= state.elapsed) return 'on_track';
  return state.progress >= state.elapsed / 2 ? 'at_risk' : 'off_track';
}

const severity: Record<GoalStatus, number> = {
  achieved: 0,
  on_track: 1,
  at_risk: 2,
  off_track: 3,
  missed: 4,
};

/** A composite goal holds only when every target holds: it is as good as its worst target. */
export function goalStatus(statuses: GoalStatus[]): GoalStatus {
  if (statuses.every((status) => status === 'achieved')) return 'achieved';
  const worst = statuses.reduce((a, b) => (severity[b] > severity[a] ? b : a), 'on_track' as GoalStatus);
  return worst === 'achieved' ? 'on_track' : worst;
}
