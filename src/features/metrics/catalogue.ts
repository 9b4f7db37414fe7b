import type { MetricDefinition } from './definition.ts';
import { metric as backlogAgeOver7Days } from './definitions/backlog-age-over-7-days.ts';
import { metric as backlogAgeOver30Days } from './definitions/backlog-age-over-30-days.ts';
import { metric as backlogBreached } from './definitions/backlog-breached.ts';
import { metric as backlogOpen } from './definitions/backlog-open.ts';
import { metric as backlogUnowned } from './definitions/backlog-unowned.ts';
import { metric as costPerRequest } from './definitions/cost-per-request.ts';
import { metric as escalationRate } from './definitions/escalation-rate.ts';
import { metric as escalationRateExecutive } from './definitions/escalation-rate-executive.ts';
import { metric as escalationRateLead } from './definitions/escalation-rate-lead.ts';
import { metric as escalationRateManager } from './definitions/escalation-rate-manager.ts';
import { metric as firstContactResolution } from './definitions/first-contact-resolution.ts';
import { metric as firstResponseMedianMinutes } from './definitions/first-response-median-minutes.ts';
import { metric as firstResponseP90Minutes } from './definitions/first-response-p90-minutes.ts';
import { metric as loopClosureRate } from './definitions/loop-closure-rate.ts';
import { metric as problemFixReach } from './definitions/problem-fix-reach.ts';
import { metric as resolutionMedianMinutes } from './definitions/resolution-median-minutes.ts';
import { metric as resolutionP90Minutes } from './definitions/resolution-p90-minutes.ts';
import { metric as selfServiceShare } from './definitions/self-service-share.ts';
import { metric as slaFirstResponseCompliance } from './definitions/sla-first-response-compliance.ts';
import { metric as slaResolutionCompliance } from './definitions/sla-resolution-compliance.ts';
import { metric as thankYouRate } from './definitions/thank-you-rate.ts';
import { metric as totalServiceCost } from './definitions/total-service-cost.ts';

/**
 * The metric catalogue. A metric is one file in ./definitions exporting `metric`, listed here;
 * the API, the dashboard, goals, the digest and exports pick it up. (The list is explicit because
 * the server is bundled: catalogue.test.ts fails when a file in ./definitions is missing here.)
 */
export const metricCatalogue: MetricDefinition[] = [
  backlogAgeOver30Days,
  backlogAgeOver7Days,
  backlogBreached,
  backlogOpen,
  backlogUnowned,
  costPerRequest,
  escalationRateExecutive,
  escalationRateLead,
  escalationRateManager,
  escalationRate,
  firstContactResolution,
  firstResponseMedianMinutes,
  firstResponseP90Minutes,
  loopClosureRate,
  problemFixReach,
  resolutionMedianMinutes,
  resolutionP90Minutes,
  selfServiceShare,
  slaFirstResponseCompliance,
  slaResolutionCompliance,
  thankYouRate,
  totalServiceCost,
];

const byName = new Map(metricCatalogue.map((metric) => [metric.name, metric]));

export function findMetric(name: string): MetricDefinition | undefined {
  return byName.get(name);
}
