import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { ItemKind, LadderLevel, Priority } from '../../shared/listening.ts';
import { type Calendar, type CalendarInput, createCalendar } from './calendar.ts';

export interface SlaTargets {
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
}

/**
 * Targets (business minutes) used while a workspace has set no policy at all, for every kind.
 * Once it sets any, a kind × priority without a row has no SLA.
 */
export const defaultSlaTargets: Record<Priority, SlaTargets> = {
  urgent: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
  high: { firstResponseMinutes: 4 * 60, resolutionMinutes: 24 * 60 },
  normal: { firstResponseMinutes: 8 * 60, resolutionMinutes: 72 * 60 },
  low: { firstResponseMinutes: 24 * 60, resolutionMinutes: 120 * 60 },
};

export type EscalationTrigger = 'first_response_breach' | 'resolution_breach' | 'resolution_overdue';
export interface EscalationRuleSetting {
  trigger: EscalationTrigger;
  factor?: number;
  level: Exclude<LadderLevel, 'agent'>;
}

/** Rules used while a workspace has none. */
export const defaultEscalationRules: readonly EscalationRuleSetting[] = [
  { trigger: 'first_response_breach', level: 'lead' },
  { trigger: 'resolution_breach', level: 'manager' },
  { trigger: 'resolution_overdue', factor: 2, level: 'executive' },
];

export const defaultCalendar: CalendarInput = { timeZone: 'UTC', schedule: [], holidays: [] };
export const defaultWarnBeforeMinutes = 60;

export interface SlaSettings {
  calendar: Calendar;
  calendarInput: CalendarInput;
  warnBeforeMinutes: number;
  /** Explicit policies by `${kind}:${priority}`; null: the defaults apply. */
  policies: Map<string, SlaTargets> | null;
  rules: readonly EscalationRuleSetting[];
  rulesAreDefault: boolean;
}

export function targetsFor(settings: SlaSettings, kind: ItemKind, priority: Priority): SlaTargets {
  if (!settings.policies) return defaultSlaTargets[priority];
  return (
    settings.policies.get(`${kind}:${priority}`) ?? { firstResponseMinutes: null, resolutionMinutes: null }
  );
}

// Calendars keep an offset cache: reuse them across requests while the settings are the same.
const calendars = new Map<string, Calendar>();
function calendarOf(input: CalendarInput): Calendar {
  const key = JSON.stringify(input);
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size > 1000) calendars.clear();
    calendar = createCalendar(input);
    calendars.set(key, calendar);
  }
  return calendar;
}

export interface SettingsRow {
  workspace_id: string;
  hours: { time_zone: string; schedule: unknown; holidays: unknown; warn_before_minutes: number } | null;
  policies: {
    kind: ItemKind;
    priority: Priority;
    first_response_minutes: number | null;
    resolution_minutes: number | null;
  }[];
  rules: {
    trigger: EscalationTrigger;
    factor: string | number | null;
    level: Exclude<LadderLevel, 'agent'>;
  }[];
}

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * The columns holding a workspace's SLA settings (calendar, policies, escalation rules), for a
 * query over `workspaces w`: loadSlaSettings reads them, and so does the batch read of new items.
 */
export const slaSettingsColumns = sql<Omit<SettingsRow, 'workspace_id'>>`
  (select json_build_object('time_zone', b.time_zone, 'schedule', b.schedule,
      'holidays', b.holidays, 'warn_before_minutes', b.warn_before_minutes)
    from business_hours b where b.workspace_id = w.id) as hours,
  coalesce((select json_agg(json_build_object('kind', p.kind, 'priority', p.priority,
      'first_response_minutes', p.first_response_minutes, 'resolution_minutes', p.resolution_minutes))
    from sla_policies p where p.workspace_id = w.id), '[]'::json) as policies,
  coalesce((select json_agg(json_build_object('trigger', r.trigger, 'factor', r.factor, 'level', r.level)
      order by r.position, r.id)
    from escalation_rules r where r.workspace_id = w.id), '[]'::json) as rules`;

/** The settings a row of slaSettingsColumns holds. */
export function slaSettingsOf(row: Omit<SettingsRow, 'workspace_id'>): SlaSettings {
  const hours = parsed<SettingsRow['hours']>(row.hours);
  const calendarInput: CalendarInput = hours
    ? {
        timeZone: hours.time_zone,
        schedule: parsed<CalendarInput['schedule']>(hours.schedule),
        holidays: parsed<string[]>(hours.holidays),
      }
    : defaultCalendar;
  const policyRows = parsed<SettingsRow['policies']>(row.policies);
  const ruleRows = parsed<SettingsRow['rules']>(row.rules);
  return {
    calendar: calendarOf(calendarInput),
    calendarInput,
    warnBeforeMinutes: hours?.warn_before_minutes ?? defaultWarnBeforeMinutes,
    policies:
      policyRows.length === 0
        ? null
        : new Map(
            policyRows.map((policy) => [
              `${policy.kind}:${policy.priority}`,
              {
                firstResponseMinutes: policy.first_response_minutes,
                resolutionMinutes: policy.resolution_minutes,
              },
            ]),
          ),
    rules:
      ruleRows.length === 0
        ? defaultEscalationRules
        : ruleRows.map((rule) => ({
            trigger: rule.trigger,
            level: rule.level,
            ...(rule.factor === null ? {} : { factor: Number(rule.factor) }),
          })),
    rulesAreDefault: ruleRows.length === 0,
  };
}

/** The SLA settings of several workspaces in one query. */
export async function loadSlaSettings(
  db: Queryable,
  workspaceIds: readonly string[],
): Promise<Map<string, SlaSettings>> {
  const result = new Map<string, SlaSettings>();
  const ids = [...new Set(workspaceIds)];
  if (ids.length === 0) return result;
  const { rows } = await sql<SettingsRow>`select w.id as workspace_id, ${slaSettingsColumns}
    from workspaces w where w.id in (${sql.join(ids)})`.execute(db);
  for (const row of rows) result.set(row.workspace_id, slaSettingsOf(row));
  return result;
}

export async function loadWorkspaceSlaSettings(db: Queryable, workspaceId: string): Promise<SlaSettings> {
  const settings = (await loadSlaSettings(db, [workspaceId])).get(workspaceId);
  if (!settings) throw new Error(`Workspace ${workspaceId} does not exist`);
  return settings;
}
