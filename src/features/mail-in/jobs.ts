import type { JobHandler } from '../../platform/jobs/handlers.ts';

/** Inbound mail jobs: filled in by the inbound mail work. */
export const inboundJobHandlers: Record<string, JobHandler> = {};
