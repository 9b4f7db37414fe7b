import type { JobHandler } from '../../platform/jobs/handlers.ts';

/** SLA jobs (the sweep): filled in by the SLA work. */
export const slaJobHandlers: Record<string, JobHandler> = {};
export const slaRecurringJobs: string[] = [];
