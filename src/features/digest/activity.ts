import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { type LadderLevel, ladderLevels } from '../../shared/listening.ts';

export interface DigestItem {
  id: string;
  ref: string;
  subject: string;
  detail: string;
}

export interface DigestActivity {
  breaches: { count: number; worst: DigestItem[] };
  escalations: { count: number; byLevel: Record<LadderLevel, number>; toExecutive: DigestItem[] };
}

const hours = (ms: number) => Math.round(ms / 360_000) / 10;

/**
 * SLA breaches and escalations in the 7 days before `now`. The worst breaches are the items
 * furthest past their due time (still open items count up to now).
 */
export async function digestActivity(db: Queryable, workspaceId: string, now: Date): Promise<DigestActivity> {
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const breached = await sql<{ id: string; ref: string; subject: string; overdue_ms: number }>`
    select i.id, i.ref::text as ref, i.subject,
      extract(epoch from greatest(
        case when i.first_response_breached_at >= ${since} and i.first_response_breached_at < ${now}
          then coalesce(i.first_responded_at, ${now}) - i.first_response_due_at end,
        case when i.resolution_breached_at >= ${since} and i.resolution_breached_at < ${now}
          then coalesce(i.resolved_at, ${now}) - i.resolution_due_at end)) * 1000 as overdue_ms
    from items i
    where i.workspace_id = ${workspaceId} and i.merged_into_id is null
      and ((i.first_response_breached_at >= ${since} and i.first_response_breached_at < ${now})
        or (i.resolution_breached_at >= ${since} and i.resolution_breached_at < ${now}))
    order by overdue_ms desc nulls last, i.id`.execute(db);

  const events = await sql<{ id: string; ref: string; subject: string; level: LadderLevel; at: Date }>`
    select i.id, i.ref::text as ref, i.subject, e.data->>'to' as level, e.created_at as at
    from item_events e join items i on i.id = e.item_id and i.workspace_id = e.workspace_id
    where e.workspace_id = ${workspaceId} and e.type = 'escalated'
      and e.created_at >= ${since} and e.created_at < ${now}
    order by e.created_at, e.id`.execute(db);
  const byLevel = Object.fromEntries(ladderLevels.map((level) => [level, 0])) as Record<LadderLevel, number>;
  for (const event of events.rows) if (event.level in byLevel) byLevel[event.level] += 1;
  const toExecutive = new Map<string, DigestItem>();
  for (const event of events.rows.filter((row) => row.level === 'executive')) {
    toExecutive.set(event.id, {
      id: event.id,
      ref: event.ref,
      subject: event.subject,
      detail: `escalated ${new Date(event.at).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    });
  }
  return {
    breaches: {
      count: breached.rows.length,
      worst: breached.rows.slice(0, 5).map((row) => ({
        id: row.id,
        ref: row.ref,
        subject: row.subject,
        detail: row.overdue_ms === null ? 'breached' : `${hours(Number(row.overdue_ms))} h past due`,
      })),
    },
    escalations: { count: events.rows.length, byLevel, toExecutive: [...toExecutive.values()] },
  };
}
