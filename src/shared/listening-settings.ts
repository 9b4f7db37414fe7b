import { z } from 'zod';
import { isoDate, uuid } from './common.ts';
import { itemKind, ladderLevel, priority } from './listening.ts';

/** Payloads of the listening settings: SLA policies, business hours, escalation rules, message templates, teams and the ladder. */
// ---- SLA and escalation settings ----------------------------------------------------------

export const slaPolicy = z.strictObject({
  kind: itemKind,
  priority,
  firstResponseMinutes: z.number().int().min(1).max(525_600).nullable(),
  resolutionMinutes: z.number().int().min(1).max(5_256_000).nullable(),
});
export type SlaPolicy = z.infer<typeof slaPolicy>;
export const slaPoliciesBody = z.strictObject({ policies: z.array(slaPolicy).max(24) });

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time such as 09:00');
export const businessHours = z.strictObject({
  timeZone: z.string().min(1).max(100).describe('An IANA time zone such as Europe/Amsterdam.'),
  schedule: z
    .array(
      z.strictObject({
        day: z.number().int().min(0).max(6).describe('0 = Sunday'),
        start: clockTime,
        end: clockTime,
      }),
    )
    .max(50)
    .describe('Opening hours per weekday; an empty schedule means around the clock.'),
  holidays: z.array(z.iso.date()).max(400),
  warnBeforeMinutes: z.number().int().min(0).max(10_080).default(60),
});
export type BusinessHours = z.infer<typeof businessHours>;

export const escalationRule = z.strictObject({
  trigger: z.enum(['first_response_breach', 'resolution_breach', 'resolution_overdue']),
  factor: z
    .number()
    .gt(1)
    .max(100)
    .optional()
    .describe('For resolution_overdue: open after factor × the target.'),
  level: ladderLevel.exclude(['agent']),
});
export const escalationRulesBody = z.strictObject({ rules: z.array(escalationRule).max(20) });

export const templatePurposes = ['acknowledgement', 'thank_you', 'fix_notice'] as const;
export const messageTemplate = z.strictObject({
  purpose: z.enum(templatePurposes),
  kind: itemKind,
  enabled: z.boolean(),
  subject: z.string().trim().min(1).max(500),
  body: z
    .string()
    .trim()
    .min(1)
    .max(20_000)
    .describe('Placeholders: {{name}}, {{subject}}, {{ref}}, {{workspace}}, {{resolution}}, {{summary}}.'),
});
export type MessageTemplate = z.infer<typeof messageTemplate>;
export const messageTemplatesBody = z.strictObject({ templates: z.array(messageTemplate).max(18) });

/** The placeholders templates may use; anything else between {{ }} is refused on save. */
export const templatePlaceholders = ['name', 'subject', 'ref', 'workspace', 'resolution', 'summary'] as const;
/** The {{placeholders}} of a text that are not known (each once, as written). */
export function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(templatePlaceholders);
  const unknown = new Set<string>();
  for (const match of text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
    if (!known.has(match[1]!)) unknown.add(match[1]!);
  }
  return [...unknown];
}
export const messageTemplateView = messageTemplate.extend({
  customised: z.boolean().describe("False while the workspace uses Rapport's default text."),
});
export type MessageTemplateView = z.infer<typeof messageTemplateView>;
export const messageTemplateList = z.object({ templates: z.array(messageTemplateView) });

// ---- Views, teams and the ladder ---------------------------------------------------------

/** The SLA policies in force; `usingDefaults` when the workspace has not set any (built-in targets). */
export const slaPoliciesView = z.object({ policies: z.array(slaPolicy), usingDefaults: z.boolean() });
export type SlaPoliciesView = z.infer<typeof slaPoliciesView>;
export const escalationRulesView = z.object({
  rules: z.array(escalationRule),
  usingDefaults: z.boolean(),
});
export type EscalationRulesView = z.infer<typeof escalationRulesView>;
/** Returned by PUTs that recompute due times: how many open items were recomputed now or queued. */
export const slaRecomputeResult = z.object({
  recomputedItems: z.number().int(),
  queued: z.boolean().describe('True when there were many open items: a background job recomputes them.'),
});

export const team = z.object({
  id: uuid,
  name: z.string(),
  memberCount: z.number().int(),
  createdAt: isoDate,
});
export type Team = z.infer<typeof team>;
export const teamInput = z.strictObject({ name: z.string().trim().min(1, 'Name the team.').max(100) });

export const ladderInput = z.strictObject({
  ladderLevel: ladderLevel
    .nullable()
    .describe('null: derived from the role (agent, manager, admin → manager).'),
  teamId: uuid.nullable(),
});
export type LadderInput = z.infer<typeof ladderInput>;
export const ladderUser = z.object({
  id: uuid,
  name: z.string(),
  email: z.string(),
  role: z.string(),
  ladderLevel: ladderLevel.nullable().describe('The level set explicitly, if any.'),
  effectiveLevel: ladderLevel,
  teamId: uuid.nullable(),
  teamName: z.string().nullable(),
});
export type LadderUser = z.infer<typeof ladderUser>;
