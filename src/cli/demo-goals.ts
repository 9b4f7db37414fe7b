/**
 * Demo goals: cost settings that changed once during the year (so the cost charts have history
 * and show the change), and two goals from the template gallery, started three months ago.
 */
import { sql } from 'kysely';
import { addDays } from '../features/goals/dates.ts';
import { goalTemplates } from '../features/goals/templates.ts';
import { type AuditContext, audit } from '../platform/audit.ts';
import type { Tx } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';

const DAY = 86_400_000;

export async function seedGoals(tx: Tx, context: AuditContext, workspaceId: string, now = Date.now()) {
  const existing = await tx
    .selectFrom('goals')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .limit(1)
    .executeTakeFirst();
  if (existing) return null;
  const owner = await tx
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'manager')
    .executeTakeFirst();
  const year = new Date(now - 400 * DAY).toISOString().slice(0, 10);
  const half = new Date(now - 180 * DAY).toISOString().slice(0, 10);
  const costs = [
    {
      from: year,
      hourly: 42,
      perContact: { phone: 6, email: 3, portal: 0.1, chat: 2 },
      minutes: { phone: 12, email: 8, portal: 3, chat: 6 },
    },
    {
      from: half,
      hourly: 45,
      perContact: { phone: 6, email: 2.5, portal: 0.1, chat: 2 },
      minutes: { phone: 11, email: 7, portal: 3, chat: 5 },
    },
  ];
  for (const cost of costs) {
    const id = newId();
    await sql`insert into cost_settings (id, workspace_id, effective_from, currency, hourly_cost, per_contact, handling_minutes, created_by)
      values (${id}, ${workspaceId}, ${cost.from}, 'EUR', ${cost.hourly}, ${JSON.stringify(cost.perContact)}, ${JSON.stringify(cost.minutes)}, ${owner?.id ?? null})`.execute(
      tx,
    );
    await audit(tx, context, {
      action: 'cost_settings.created',
      entity: 'cost_settings',
      entityId: id,
      after: cost,
    });
  }
  // Two plans from the gallery, as if set three months ago.
  const started = addDays(new Date(now).toISOString().slice(0, 10), -91);
  const chosen = goalTemplates(started).filter((template) =>
    ['self-service-plan', 'close-the-loop-complaints'].includes(template.id),
  );
  for (const template of chosen) {
    const id = newId();
    await tx
      .insertInto('goals')
      .values({
        id,
        workspace_id: workspaceId,
        title: template.goal.title,
        description: template.why,
        owner_id: owner?.id ?? null,
        targets: JSON.stringify(template.goal.targets),
        start_date: template.goal.startDate,
        deadline: template.goal.deadline,
        milestones: JSON.stringify([
          { date: addDays(template.goal.startDate, 120), title: 'Review with the team' },
        ]),
        template: template.id,
        created_by: owner?.id ?? null,
        created_at: new Date(now - 91 * DAY),
        updated_at: new Date(now - 91 * DAY),
      })
      .execute();
    await audit(tx, context, {
      action: 'goal.created',
      entity: 'goal',
      entityId: id,
      after: { title: template.goal.title },
    });
  }
  return { costVersions: costs.length, goals: chosen.length };
}
