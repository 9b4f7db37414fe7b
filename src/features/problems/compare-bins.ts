/** One observed value of a key with how often it occurs on each side. */
export interface ValueCount {
  value: string;
  linkedCount: number;
  othersCount: number;
}

/** Numeric keys with more distinct values than this are grouped into ranges. */
export const maxNumericValues = 6;
const bins = 5;

const isNumeric = (value: string) => value.trim() !== '' && Number.isFinite(Number(value));

/**
 * Groups the values of a numeric key into at most five ranges of about equal weight (quantiles
 * of both sides together). Without it, a key with many distinct numbers ("minutes parked": 3, 4,
 * 7, 12…) looks perfectly separating on a small sample only because no two items share a value;
 * ranges compare like with like. Values that are not all numbers, or few enough, are returned
 * unchanged. Counts are preserved.
 */
export function binNumericValues(values: readonly ValueCount[]): ValueCount[] {
  if (values.length <= maxNumericValues || !values.every((entry) => isNumeric(entry.value))) {
    return [...values];
  }
  const sorted = [...values].sort((a, b) => Number(a.value) - Number(b.value));
  const total = sorted.reduce((sum, entry) => sum + entry.linkedCount + entry.othersCount, 0);
  const grouped: ValueCount[] = [];
  let current: { from: string; to: string; linked: number; others: number } | null = null;
  let seen = 0;
  for (const entry of sorted) {
    const weight = entry.linkedCount + entry.othersCount;
    if (!current) current = { from: entry.value, to: entry.value, linked: 0, others: 0 };
    current.to = entry.value;
    current.linked += entry.linkedCount;
    current.others += entry.othersCount;
    seen += weight;
    // Close the range once it holds its share of the weight (the last one takes the rest).
    if (seen >= ((grouped.length + 1) * total) / bins && grouped.length < bins - 1) {
      grouped.push(toRange(current));
      current = null;
    }
  }
  if (current) grouped.push(toRange(current));
  return grouped;
}

function toRange(range: { from: string; to: string; linked: number; others: number }): ValueCount {
  return {
    value: range.from === range.to ? range.from : `${range.from}–${range.to}`,
    linkedCount: range.linked,
    othersCount: range.others,
  };
}
