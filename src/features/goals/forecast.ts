/**
 * The forecast shown on a goal: a straight line fitted to the weekly values by least squares,
 * extended to the deadline, with a band of ±1.28 residual standard deviations (about 80% of the
 * points would fall inside it if the scatter stays as it was). Needs three values or more.
 */
export interface Fit {
  slope: number;
  intercept: number;
  residualSd: number;
}

export function fitLine(points: { x: number; y: number }[]): Fit | null {
  if (points.length < 3) return null;
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  if (sxx === 0) return null;
  const slope = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0) / sxx;
  const intercept = meanY - slope * meanX;
  const squares = points.reduce((sum, p) => sum + (p.y - (intercept + slope * p.x)) ** 2, 0);
  return { slope, intercept, residualSd: Math.sqrt(squares / Math.max(1, n - 2)) };
}

export const bandWidth = 1.28;
export const forecastMethod =
  'Linear trend: a least-squares line through the weekly values since the goal started, extended to the ' +
  'deadline; the band is ±1.28 standard deviations of the points around the line (about 80%).';

export function predict(fit: Fit, x: number) {
  const value = fit.intercept + fit.slope * x;
  return { value, low: value - bandWidth * fit.residualSd, high: value + bandWidth * fit.residualSd };
}
