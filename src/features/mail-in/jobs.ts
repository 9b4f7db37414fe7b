import { type JobHandler, PermanentJobError } from '../../platform/jobs/handlers.ts';
import { processInboundMail } from './process.ts';
import { inboundMailJob } from './store.ts';

/** Inbound mail: each message the SMTP receiver stored is parsed and routed by one job. */
export const inboundJobHandlers: Record<string, JobHandler> = {
  [inboundMailJob]: async (job, deps) => {
    const { inboundMailId } = job.payload as { inboundMailId?: string };
    if (!inboundMailId) throw new PermanentJobError('payload.inboundMailId is missing');
    await processInboundMail(deps, inboundMailId);
  },
};
