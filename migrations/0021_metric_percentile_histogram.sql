-- Metrics (issue 7, performance): exact percentiles from the day rollups without sorting a year
-- of values (src/features/metrics/day-rollup-percentile.ts). A percentile's rollup row keeps its
-- values sorted and a sparse histogram of them: the bins (width_bucket over fixed bounds) that
-- hold values and how many each holds. Percentile rows of the former layout (unsorted, no
-- histogram) are under keys no longer read: dropped.
alter table metric_day_rollup add column bins smallint[], add column counts integer[];

delete from metric_day_built
where metric in (select distinct metric from metric_day_rollup where vals is not null and bins is null);
delete from metric_day_rollup where vals is not null and bins is null;
