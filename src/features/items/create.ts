import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { AppDeps } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import type { CreateItemInput } from '../../shared/listening.ts';
import { emailKey, type FieldProblem } from '../../shared/people.ts';
import { emptyPersonState, personColumns, unprocessable } from '../people/normalize.ts';
import { insertPerson, personOutput } from '../people/queries.ts';
import { checkContact } from '../portal/terms/enforce.ts';
import { computeSlaColumns } from '../sla/refresh.ts';
import { loadWorkspaceSlaSettings } from '../sla/settings.ts';
import { defaultTemplate, fillTemplate } from '../templates/render.ts';
import type { EventActor } from './events.ts';
import { insertObservations } from './observations.ts';
import type { ItemRow } from './schema.ts';
import { sendToCustomer } from './send.ts';

export interface NewItemRecord {
  workspaceId: string;
  /** Who logs it: a staff user or token, the system, or the customer (inbound mail). */
  actor: EventActor;
  requestId?: string | null;
  input: CreateItemInput;
  now: Date;
  /** Where the item came from, when it arrived as a mail: threads the acknowledgement to it. */
  source?: { messageId?: string; fromAddress?: string };
}

export interface PersonRef {
  id: string;
  name: string;
  organizationId: string | null;
  email: string | null;
}

/** The primary email of people row p, else its first. */
const primaryEmail = sql`(select e->>'value' from jsonb_array_elements(p.emails) e
  order by (e->>'primary')::boolean is true desc limit 1)`;

/** One round trip: the given person, the person matching the reporter email, org and category checks. */
async function lookUpReferences(tx: Queryable, workspaceId: string, input: CreateItemInput) {
  const key = input.reporterEmail ? emailKey(input.reporterEmail) : null;
  const personJson = sql`json_build_object('id', p.id, 'name', p.display_name,
    'organizationId', p.organization_id, 'email', ${primaryEmail})`;
  const result = await sql<{
    person: PersonRef | null;
    matched: PersonRef | null;
    organization_ok: boolean;
    category_ok: boolean;
  }>`select
    (select ${personJson} from people p where p.workspace_id = ${workspaceId}
      and p.id = ${input.personId ?? null}::uuid and p.deleted_at is null) as person,
    (select ${personJson} from people p where p.workspace_id = ${workspaceId}
      and p.email_keys @> array[${key}]::text[] and p.deleted_at is null
      order by p.id limit 1) as matched,
    exists (select 1 from organizations o where o.workspace_id = ${workspaceId}
      and o.id = ${input.organizationId ?? null}::uuid and o.deleted_at is null) as organization_ok,
    exists (select 1 from item_categories c where c.workspace_id = ${workspaceId}
      and c.id = ${input.categoryId ?? null}::uuid) as category_ok`.execute(tx);
  return result.rows[0]!;
}

function checkReferences(input: CreateItemInput, refs: Awaited<ReturnType<typeof lookUpReferences>>) {
  const problems: FieldProblem[] = [];
  if (input.personId && !refs.person)
    problems.push({ path: 'body.personId', message: 'is not a person of this workspace.' });
  if (input.organizationId && !refs.organization_ok)
    problems.push({ path: 'body.organizationId', message: 'is not an organization of this workspace.' });
  if (input.categoryId && !refs.category_ok)
    problems.push({ path: 'body.categoryId', message: 'is not an item category of this workspace.' });
  if (problems.length > 0) throw unprocessable(problems);
}

/** An unknown reporter becomes a prospect, named after them or after their email's local part. */
export async function createReporter(
  tx: Queryable,
  workspaceId: string,
  auditActor: Actor,
  requestId: string | null,
  reporter: { name: string | undefined; email: string },
): Promise<PersonRef> {
  const state = emptyPersonState();
  const name = (reporter.name ?? reporter.email.split('@')[0] ?? reporter.email).trim().slice(0, 200);
  const space = name.indexOf(' ');
  state.givenName = space > 0 ? name.slice(0, space) : name;
  state.familyName = space > 0 ? name.slice(space + 1).trim() || null : null;
  state.stage = 'prospect';
  state.emails = [{ value: reporter.email, label: null, primary: true }];
  const row = await insertPerson(tx, { id: newId(), workspace_id: workspaceId, ...personColumns(state) });
  await audit(
    tx,
    { actor: auditActor, workspaceId, requestId },
    { action: 'person.created', entity: 'person', entityId: row.id, after: personOutput(row) },
  );
  return { id: row.id, name: row.display_name, organizationId: row.organization_id, email: reporter.email };
}

/** The acknowledgement template (when enabled) and the workspace name for {{workspace}}. */
async function acknowledgementTemplate(tx: Queryable, workspaceId: string, kind: CreateItemInput['kind']) {
  const result = await sql<{
    workspace: string;
    enabled: boolean | null;
    subject: string | null;
    body: string | null;
  }>`select w.name as workspace, t.enabled, t.subject, t.body from workspaces w
    left join message_templates t on t.workspace_id = w.id and t.purpose = 'acknowledgement' and t.kind = ${kind}
    where w.id = ${workspaceId}`.execute(tx);
  const row = result.rows[0];
  if (!row) return null;
  const template =
    row.enabled === null
      ? defaultTemplate('acknowledgement', kind)
      : { enabled: row.enabled, subject: row.subject!, body: row.body! };
  return template.enabled ? { workspace: row.workspace, ...template } : null;
}

/**
 * Creates an item in the caller's transaction: checks the references, matches or creates the
 * customer, records the 'created' event and the audit entry, computes the SLA and sends the
 * acknowledgement (not a first response). Kept to a handful of statements: it is the hot path.
 * The returned row is as inserted, SLA due times included.
 */
export async function createItemRecord(
  tx: Queryable,
  deps: AppDeps,
  record: NewItemRecord,
): Promise<ItemRow> {
  const { workspaceId, input, now } = record;
  const auditActor = record.actor;
  const requestId = record.requestId ?? null;
  const needsLookup = Boolean(
    input.personId || input.organizationId || input.categoryId || input.reporterEmail,
  );
  const refs = needsLookup ? await lookUpReferences(tx, workspaceId, input) : null;
  if (refs) checkReferences(input, refs);

  let person: PersonRef | null = refs?.person ?? null;
  if (!person && input.reporterEmail) {
    person =
      refs?.matched ??
      (await createReporter(tx, workspaceId, auditActor, requestId, {
        name: input.reporterName,
        email: input.reporterEmail,
      }));
  }
  // Answer the address they wrote from; a known person without one gets their primary email.
  const customerEmail = input.reporterEmail ?? person?.email ?? null;
  const acknowledgement =
    input.acknowledge && customerEmail ? await acknowledgementTemplate(tx, workspaceId, input.kind) : null;
  // The customer's terms may refuse email: the item is still created, unacknowledged, and says why.
  const refusal =
    acknowledgement && person
      ? await checkContact(tx, {
          workspaceId,
          personId: person.id,
          channel: 'email',
          purpose: 'service',
          now,
        })
      : null;
  const template = refusal?.allowed === false ? null : acknowledgement;

  const id = newId();
  const status = template ? 'acknowledged' : 'new';
  // The SLA columns are computed before the insert: updating them afterwards would write a second
  // version of the row into every index of items, on the hottest path there is.
  const sla = computeSlaColumns(
    await loadWorkspaceSlaSettings(tx, workspaceId),
    {
      id,
      kind: input.kind,
      priority: input.priority,
      status,
      created_at: now,
      first_responded_at: null,
      resolved_at: null,
      closed_at: null,
      merged_into_id: null,
      sla_paused_at: null,
      sla_paused_minutes: 0,
      first_response_breached_at: null,
      resolution_breached_at: null,
      sla_warned_at: null,
      escalation_level: 'agent',
    },
    now,
  );
  const row = await tx
    .insertInto('items')
    .values({
      id,
      workspace_id: workspaceId,
      kind: input.kind,
      channel: input.channel,
      subject: input.subject,
      body: input.body,
      person_id: person?.id ?? null,
      reporter_name: input.reporterName ?? null,
      reporter_email: input.reporterEmail ?? null,
      organization_id: input.organizationId ?? person?.organizationId ?? null,
      category_id: input.categoryId ?? null,
      priority: input.priority,
      sentiment: input.sentiment ?? null,
      status,
      acknowledged_at: template ? now : null,
      first_response_due_at: sla.first_response_due_at,
      resolution_due_at: sla.resolution_due_at,
      sla_next_check_at: sla.sla_next_check_at,
      tags: [...new Set(input.tags)],
      reply_token: randomBytes(24).toString('base64url'),
      created_by: record.actor.type === 'customer' ? null : record.actor.userId,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  // A customer's mail is their own doing: the event names the person it was matched to.
  const actorId =
    record.actor.type === 'customer' ? (record.actor.id ?? person?.id ?? null) : record.actor.userId;
  const eventOf = (type: string, data: Record<string, unknown>) => ({
    id: newId(),
    workspace_id: workspaceId,
    item_id: id,
    type,
    actor_type: record.actor.type,
    actor_id: actorId,
    data: JSON.stringify(data),
    created_at: now,
  });
  const created = eventOf('created', {
    kind: row.kind,
    channel: row.channel,
    priority: row.priority,
    personId: row.person_id,
    ...(record.source ? { source: record.source } : {}),
  });
  const acknowledged = template
    ? [eventOf('acknowledged', { to: customerEmail, automatic: true })]
    : refusal?.allowed === false
      ? [eventOf('customer_contact_blocked', { reason: refusal.reason, to: customerEmail, automatic: true })]
      : [];
  await tx
    .insertInto('item_events')
    .values([created, ...acknowledged])
    .execute();
  // A customer who wrote in is the actor, named by their record once it exists.
  const creator: Actor =
    auditActor.type === 'customer' ? { ...auditActor, id: auditActor.id ?? person?.id ?? null } : auditActor;
  await audit(
    tx,
    { actor: creator, workspaceId, requestId },
    {
      action: 'item.created',
      entity: 'item',
      entityId: id,
      after: {
        ref: Number(row.ref),
        kind: row.kind,
        channel: row.channel,
        subject: row.subject,
        personId: row.person_id,
        organizationId: row.organization_id,
        priority: row.priority,
        status: row.status,
      },
    },
  );
  if (input.observations.length > 0) {
    await insertObservations(tx, {
      workspaceId,
      itemId: id,
      categoryId: row.category_id,
      inputs: input.observations,
      authorUserId: row.created_by,
      at: now,
    });
  }
  if (template && customerEmail) {
    const variables = {
      name: person?.name ?? input.reporterName ?? customerEmail,
      subject: row.subject,
      ref: String(row.ref),
      workspace: template.workspace,
    };
    await sendToCustomer(
      tx,
      deps.config,
      {
        workspaceId,
        itemId: id,
        replyToken: row.reply_token,
        to: customerEmail,
        personId: person?.id ?? null,
        subject: fillTemplate(template.subject, variables),
        body: fillTemplate(template.body, variables),
        authorUserId: null,
        inReplyTo: record.source?.messageId ?? null,
      },
      { onRefused: 'skip', actor: record.actor, now, termsChecked: refusal !== null },
    );
  }
  return row;
}
