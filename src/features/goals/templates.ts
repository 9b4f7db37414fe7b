import type { CreateGoalInput } from '../../shared/goals.ts';
import { addDays } from './dates.ts';

export interface GoalTemplate {
  id: string;
  title: string;
  why: string;
  goal: CreateGoalInput;
}

/**
 * The gallery: specific, measurable plans (see seeds/003: "strategy before software"). Baselines
 * are the last 90 days before today; start is today.
 */
export function goalTemplates(today: string): GoalTemplate[] {
  const baseline = { baselineFrom: addDays(today, -90), baselineTo: addDays(today, -1) };
  const months = (count: number) => addDays(today, Math.round(count * 30.44));
  const plan = (
    id: string,
    title: string,
    why: string,
    deadline: string,
    targets: CreateGoalInput['targets'],
  ) => ({
    id,
    title,
    why,
    goal: { title, targets, startDate: today, deadline, milestones: [], template: id },
  });
  return [
    plan(
      'self-service-plan',
      'Cut service cost 40% by moving 60% of requests to self-service while improving first-contact resolution 25%',
      'The plan from the essay: three targets that must all hold, measured from what is recorded.',
      months(12),
      [
        { metric: 'total_service_cost', filter: {}, ...baseline, target: { type: 'relative', value: -40 } },
        { metric: 'self_service_share', filter: {}, ...baseline, target: { type: 'absolute', value: 60 } },
        {
          metric: 'first_contact_resolution',
          filter: {},
          ...baseline,
          target: { type: 'relative', value: 25 },
        },
      ],
    ),
    plan(
      'halve-first-response',
      'Halve the median first-response time in a quarter',
      'Customers notice speed first; the median is robust against a few outliers.',
      months(3),
      [
        {
          metric: 'first_response_median_minutes',
          filter: {},
          ...baseline,
          target: { type: 'relative', value: -50 },
        },
      ],
    ),
    plan(
      'close-the-loop-complaints',
      'Close the loop on 95% of complaints',
      'A complaint is only done when the customer was told the outcome and thanked.',
      months(6),
      [
        {
          metric: 'loop_closure_rate',
          filter: { kind: ['complaint'] },
          ...baseline,
          target: { type: 'absolute', value: 95 },
        },
      ],
    ),
    plan(
      'thank-every-voice',
      'Thank 98% of praise and suggestions',
      'People who take the time to praise or suggest are the ones who influence others.',
      months(3),
      [{ metric: 'thank_you_rate', filter: {}, ...baseline, target: { type: 'absolute', value: 98 } }],
    ),
    plan(
      'fewer-escalations',
      'Keep escalations under 5% of items',
      'Fewer escalations means items are owned and answered in time at the first level.',
      months(6),
      [{ metric: 'escalation_rate', filter: {}, ...baseline, target: { type: 'absolute', value: 5 } }],
    ),
  ];
}
