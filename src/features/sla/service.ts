import type { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { type Auth, auditContext, nowOf, type RequestContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { itemKinds, priorities } from '../../shared/listening.ts';
import type {
  BusinessHours,
  EscalationRulesView,
  escalationRulesBody,
  SlaPoliciesView,
  slaPoliciesBody,
} from '../../shared/listening-settings.ts';
import type { FieldProblem } from '../../shared/people.ts';
import { unprocessable } from '../people/normalize.ts';
import { isValidTimeZone, parseClock } from './calendar.ts';
import { recomputeAfterSettingsChange } from './recompute.ts';
import {
  defaultCalendar,
  defaultEscalationRules,
  defaultSlaTargets,
  defaultWarnBeforeMinutes,
} from './settings.ts';

type RecomputeResult = { recomputedItems: number; queued: boolean };

// ---- SLA policies ---------------------------------------------------------------------------

export async function getSlaPolicies(db: Queryable, workspaceId: string): Promise<SlaPoliciesView> {
  const rows = await db
    .selectFrom('sla_policies')
    .select(['kind', 'priority', 'first_response_minutes', 'resolution_minutes'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  if (rows.length === 0) {
    const policies = itemKinds.flatMap((kind) =>
      priorities.map((priority) => ({ kind, priority, ...defaultSlaTargets[priority] })),
    );
    return { policies, usingDefaults: true };
  }
  const order = (kind: string, priority: string) =>
    itemKinds.indexOf(kind as never) * 10 + priorities.indexOf(priority as never);
  return {
    policies: rows
      .map((row) => ({
        kind: row.kind,
        priority: row.priority,
        firstResponseMinutes: row.first_response_minutes,
        resolutionMinutes: row.resolution_minutes,
      }))
      .sort((a, b) => order(a.kind, a.priority) - order(b.kind, b.priority)),
    usingDefaults: false,
  };
}

/** Replaces every policy of the workspace; an empty list goes back to the built-in defaults. */
export async function putSlaPolicies(
  ctx: RequestContext,
  auth: Auth,
  input: z.output<typeof slaPoliciesBody>,
): Promise<SlaPoliciesView & RecomputeResult> {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  input.policies.forEach((policy, index) => {
    const key = `${policy.kind}:${policy.priority}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        path: `body.policies.${index}`,
        message: `${policy.kind}/${policy.priority} is already set by body.policies.${first}.`,
      });
    } else seen.set(key, index);
  });
  if (problems.length > 0) throw unprocessable(problems);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await getSlaPolicies(tx, auth.workspaceId);
    await tx.deleteFrom('sla_policies').where('workspace_id', '=', auth.workspaceId).execute();
    if (input.policies.length > 0) {
      await tx
        .insertInto('sla_policies')
        .values(
          input.policies.map((policy) => ({
            workspace_id: auth.workspaceId,
            kind: policy.kind,
            priority: policy.priority,
            first_response_minutes: policy.firstResponseMinutes,
            resolution_minutes: policy.resolutionMinutes,
          })),
        )
        .execute();
    }
    const after = await getSlaPolicies(tx, auth.workspaceId);
    await audit(tx, auditContext(ctx), {
      action: 'sla_policies.replaced',
      entity: 'sla_policies',
      entityId: auth.workspaceId,
      before: before.usingDefaults ? null : before.policies,
      after: after.usingDefaults ? null : after.policies,
    });
    return { ...after, ...(await recomputeAfterSettingsChange(tx, auth.workspaceId, nowOf(ctx.deps))) };
  });
}

// ---- Business hours -------------------------------------------------------------------------

export async function getBusinessHours(db: Queryable, workspaceId: string): Promise<BusinessHours> {
  const row = await db
    .selectFrom('business_hours')
    .select(['time_zone', 'schedule', 'holidays', 'warn_before_minutes'])
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!row)
    return { ...defaultCalendar, schedule: [], holidays: [], warnBeforeMinutes: defaultWarnBeforeMinutes };
  return {
    timeZone: row.time_zone,
    schedule: row.schedule as BusinessHours['schedule'],
    holidays: row.holidays as string[],
    warnBeforeMinutes: row.warn_before_minutes,
  };
}

function checkBusinessHours(input: BusinessHours): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isValidTimeZone(input.timeZone)) {
    problems.push({
      path: 'body.timeZone',
      message: `"${input.timeZone}" is not a time zone; use an IANA name such as Europe/Amsterdam.`,
    });
  }
  input.schedule.forEach((interval, index) => {
    if (interval.start === '24:00') {
      problems.push({ path: `body.schedule.${index}.start`, message: 'must be before 24:00.' });
    } else if (parseClock(interval.end) <= parseClock(interval.start)) {
      problems.push({
        path: `body.schedule.${index}.end`,
        message: `must be after the start (${interval.start}); use 24:00 for midnight.`,
      });
    }
  });
  input.schedule.forEach((interval, index) => {
    const overlapping = input.schedule.findIndex(
      (other, otherIndex) =>
        otherIndex < index &&
        other.day === interval.day &&
        parseClock(interval.start) < parseClock(other.end) &&
        parseClock(other.start) < parseClock(interval.end),
    );
    if (overlapping >= 0) {
      problems.push({
        path: `body.schedule.${index}`,
        message: `overlaps body.schedule.${overlapping} (${input.schedule[overlapping]!.start}–${input.schedule[overlapping]!.end} on the same day).`,
      });
    }
  });
  return problems;
}

export async function putBusinessHours(
  ctx: RequestContext,
  auth: Auth,
  input: BusinessHours,
): Promise<BusinessHours & RecomputeResult> {
  const problems = checkBusinessHours(input);
  if (problems.length > 0) throw unprocessable(problems);
  const holidays = [...new Set(input.holidays)].sort();
  const schedule = [...input.schedule].sort((a, b) => a.day - b.day || a.start.localeCompare(b.start));
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await getBusinessHours(tx, auth.workspaceId);
    const values = {
      time_zone: input.timeZone,
      schedule: JSON.stringify(schedule),
      holidays: JSON.stringify(holidays),
      warn_before_minutes: input.warnBeforeMinutes,
      updated_at: new Date(),
    };
    await tx
      .insertInto('business_hours')
      .values({ workspace_id: auth.workspaceId, ...values })
      .onConflict((conflict) => conflict.column('workspace_id').doUpdateSet(values))
      .execute();
    const after = await getBusinessHours(tx, auth.workspaceId);
    await audit(tx, auditContext(ctx), {
      action: 'business_hours.updated',
      entity: 'business_hours',
      entityId: auth.workspaceId,
      before,
      after,
    });
    return { ...after, ...(await recomputeAfterSettingsChange(tx, auth.workspaceId, nowOf(ctx.deps))) };
  });
}

// ---- Escalation rules -----------------------------------------------------------------------

export async function getEscalationRules(db: Queryable, workspaceId: string): Promise<EscalationRulesView> {
  const rows = await db
    .selectFrom('escalation_rules')
    .select(['trigger', 'factor', 'level'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  if (rows.length === 0)
    return { rules: defaultEscalationRules.map((rule) => ({ ...rule })), usingDefaults: true };
  return {
    rules: rows.map((row) => ({
      trigger: row.trigger,
      level: row.level,
      ...(row.factor === null ? {} : { factor: Number(row.factor) }),
    })),
    usingDefaults: false,
  };
}

/** Replaces the rules; an empty list goes back to the defaults. */
export async function putEscalationRules(
  ctx: RequestContext,
  auth: Auth,
  input: z.output<typeof escalationRulesBody>,
): Promise<EscalationRulesView & RecomputeResult> {
  const problems: FieldProblem[] = [];
  input.rules.forEach((rule, index) => {
    if (rule.trigger === 'resolution_overdue' && rule.factor === undefined) {
      problems.push({
        path: `body.rules.${index}.factor`,
        message: 'is required for resolution_overdue: open after factor × the resolution target, e.g. 2.',
      });
    }
    if (rule.trigger !== 'resolution_overdue' && rule.factor !== undefined) {
      problems.push({ path: `body.rules.${index}.factor`, message: 'applies only to resolution_overdue.' });
    }
  });
  if (problems.length > 0) throw unprocessable(problems);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const before = await getEscalationRules(tx, auth.workspaceId);
    await tx.deleteFrom('escalation_rules').where('workspace_id', '=', auth.workspaceId).execute();
    if (input.rules.length > 0) {
      await tx
        .insertInto('escalation_rules')
        .values(
          input.rules.map((rule, position) => ({
            id: newId(),
            workspace_id: auth.workspaceId,
            trigger: rule.trigger,
            factor: rule.factor === undefined ? null : String(rule.factor),
            level: rule.level,
            position,
          })),
        )
        .execute();
    }
    const after = await getEscalationRules(tx, auth.workspaceId);
    await audit(tx, auditContext(ctx), {
      action: 'escalation_rules.replaced',
      entity: 'escalation_rules',
      entityId: auth.workspaceId,
      before: before.usingDefaults ? null : before.rules,
      after: after.usingDefaults ? null : after.rules,
    });
    return { ...after, ...(await recomputeAfterSettingsChange(tx, auth.workspaceId, nowOf(ctx.deps))) };
  });
}
