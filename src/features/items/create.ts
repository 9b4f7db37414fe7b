import { randomBytes } from 'node:crypto';
import { type Actor, auditMany } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { type BatchResult, settle } from '../../platform/db/write-batcher.ts';
import { WriteSet } from '../../platform/db/write-set.ts';
import type { AppDeps } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { type OutgoingMail, queueMails } from '../../platform/mail/outbox.ts';
import type { CreateItemInput, Observation } from '../../shared/listening.ts';
import { emailKey } from '../../shared/people.ts';
import { computeSlaColumns } from '../sla/refresh.ts';
import { fillTemplate } from '../templates/render.ts';
import {
  acknowledgementOf,
  checkAllObservations,
  checkReferences,
  contactChecks,
  createReporter,
  lockReporterEmails,
  type PersonRef,
  readForBatch,
} from './create-checks.ts';
import type { EventActor } from './events.ts';
import type { CheckedObservation } from './observations.ts';
import type { ItemRow } from './schema.ts';
import { outboundMessageId, replyAddress } from './send.ts';

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

/** A written item: its row as inserted, and what its API output needs besides (known without a read). */
export interface CreatedItem {
  row: ItemRow;
  personName: string | null;
  /** As stored: oldest first, then by id. */
  observations: Observation[];
}

interface Planned {
  record: NewItemRecord;
  person: PersonRef | null;
  customerEmail: string | null;
  observations: CheckedObservation[];
}

/**
 * Creates items of one workspace in the caller's transaction: checks the references, matches or
 * creates each customer, records the 'created' events and the audit entries, computes the SLA
 * and sends the acknowledgements (not a first response). The hot path: every read is made once
 * for the whole batch and every write is one multi-row statement. An input whose checks fail
 * gets its own error and is not written. Returned rows are as inserted, SLA due times included.
 * The writes after the items themselves go out as one statement (WriteSet).
 */
export async function writeItems(
  tx: Queryable,
  deps: AppDeps,
  records: NewItemRecord[],
): Promise<BatchResult<CreatedItem>[]> {
  const workspaceId = records[0]!.workspaceId;
  const inputs = records.map((record) => record.input);
  const reads = await readForBatch(tx, workspaceId, inputs);
  const refs = reads.refs;
  const observations = checkAllObservations(inputs, reads.categoryTemplates);
  const outcomes = settle(records, (record, index) => {
    checkReferences(record.input, refs[index]!);
    const checked = observations[index]!;
    if (!checked.ok) throw checked.error;
    return checked.value;
  });

  // Reporters are created in order, so two items of one new reporter share one new person.
  const createdReporters = new Map<string, PersonRef>();
  await lockReporterEmails(
    tx,
    workspaceId,
    inputs.flatMap((input, index) =>
      input.reporterEmail && outcomes[index]!.ok && !refs[index]!.person && !refs[index]!.matched
        ? [input.reporterEmail]
        : [],
    ),
  );
  const planned: BatchResult<Planned>[] = [];
  for (const [index, record] of records.entries()) {
    const outcome = outcomes[index]!;
    if (!outcome.ok) {
      planned.push(outcome);
      continue;
    }
    try {
      const { input } = record;
      let person: PersonRef | null = refs[index]!.person;
      if (!person && input.reporterEmail) {
        const key = emailKey(input.reporterEmail);
        person = refs[index]!.matched ?? createdReporters.get(key) ?? null;
        if (!person) {
          person = await createReporter(tx, workspaceId, record.actor, record.requestId ?? null, {
            name: input.reporterName,
            email: input.reporterEmail,
          });
          createdReporters.set(key, person);
        }
      }
      // Answer the address they wrote from; a known person without one gets their primary email.
      const customerEmail = input.reporterEmail ?? person?.email ?? null;
      planned.push({ ok: true, value: { record, person, customerEmail, observations: outcome.value } });
    } catch (error) {
      planned.push({ ok: false, error });
    }
  }
  const live = planned.flatMap((result) => (result.ok ? [result.value] : []));
  if (live.length === 0) return planned as BatchResult<CreatedItem>[];

  const wantsAcknowledgement = (plan: Planned) =>
    plan.record.input.acknowledge && plan.customerEmail !== null;
  const acknowledgements = new Map(
    live.map((plan) => [
      plan,
      wantsAcknowledgement(plan) ? acknowledgementOf(reads.acknowledgements, plan.record.input.kind) : null,
    ]),
  );
  const now = records[0]!.now;
  // The customer's terms may refuse email: the item is still created, unacknowledged, and says why.
  const checks = await contactChecks(
    tx,
    workspaceId,
    [...new Set(live.flatMap((plan) => (acknowledgements.get(plan) && plan.person ? [plan.person.id] : [])))],
    now,
    reads,
  );
  const slaSettings = reads.sla;

  const items = live.map((plan) => {
    const { record, person } = plan;
    const { input } = record;
    const acknowledgement = acknowledgements.get(plan) ?? null;
    const refusal = acknowledgement && person ? checks.get(person.id)! : null;
    const template = refusal?.allowed === false ? null : acknowledgement;
    const id = newId();
    const status = template ? ('acknowledged' as const) : ('new' as const);
    // The SLA columns are computed before the insert: updating them afterwards would write a second
    // version of the row into every index of items, on the hottest path there is.
    const sla = computeSlaColumns(
      slaSettings,
      {
        id,
        kind: input.kind,
        priority: input.priority,
        status,
        created_at: record.now,
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
      record.now,
    );
    const values = {
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
      acknowledged_at: template ? record.now : null,
      first_response_due_at: sla.first_response_due_at,
      resolution_due_at: sla.resolution_due_at,
      sla_next_check_at: sla.sla_next_check_at,
      tags: [...new Set(input.tags)],
      reply_token: randomBytes(24).toString('base64url'),
      created_by: record.actor.type === 'customer' ? null : record.actor.userId,
      created_at: record.now,
      updated_at: record.now,
    };
    return { plan, values, template, refusal };
  });
  const inserted = await tx
    .insertInto('items')
    .values(items.map((item) => item.values))
    .returningAll()
    .execute();
  const rowsById = new Map(inserted.map((row) => [row.id, row]));

  const events = [];
  const audits = [];
  const observationRows = [];
  const observationsById = new Map<string, Observation[]>();
  const mails: OutgoingMail[] = [];
  const messages: {
    item: (typeof items)[number];
    row: ItemRow;
    subject: string;
    body: string;
    id: string;
  }[] = [];
  for (const item of items) {
    const { plan, template, refusal } = item;
    const { record, person, customerEmail } = plan;
    const row = rowsById.get(item.values.id)!;
    // A customer's mail is their own doing: the event names the person it was matched to.
    const actorId =
      record.actor.type === 'customer' ? (record.actor.id ?? person?.id ?? null) : record.actor.userId;
    const eventOf = (type: string, data: Record<string, unknown>) => ({
      id: newId(),
      workspace_id: workspaceId,
      item_id: row.id,
      type,
      actor_type: record.actor.type,
      actor_id: actorId,
      data: JSON.stringify(data),
      created_at: record.now,
    });
    events.push(
      eventOf('created', {
        kind: row.kind,
        channel: row.channel,
        priority: row.priority,
        personId: row.person_id,
        ...(record.source ? { source: record.source } : {}),
      }),
    );
    if (template) events.push(eventOf('acknowledged', { to: customerEmail, automatic: true }));
    else if (refusal?.allowed === false)
      events.push(
        eventOf('customer_contact_blocked', { reason: refusal.reason, to: customerEmail, automatic: true }),
      );
    // A customer who wrote in is the actor, named by their record once it exists.
    const creator: Actor =
      record.actor.type === 'customer'
        ? { ...record.actor, id: record.actor.id ?? person?.id ?? null }
        : record.actor;
    audits.push({
      context: { actor: creator, workspaceId, requestId: record.requestId ?? null },
      entry: {
        action: 'item.created',
        entity: 'item',
        entityId: row.id,
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
    });
    const observations: Observation[] = [];
    for (const observation of plan.observations) {
      const observationRow = {
        id: newId(),
        workspace_id: workspaceId,
        item_id: row.id,
        key: observation.key,
        value_type: observation.type,
        value: JSON.stringify(observation.value),
        value_key: observation.valueKey,
        author_user_id: row.created_by,
        created_at: record.now,
      };
      observationRows.push(observationRow);
      observations.push({
        id: observationRow.id,
        key: observation.key,
        type: observation.type,
        // As read back from jsonb: a value that JSON cannot carry (undefined) is gone.
        value: JSON.parse(observationRow.value),
        authorId: observationRow.author_user_id,
        createdAt: record.now.toISOString(),
      });
    }
    // The order observationsByItem reads them in: by time (all equal here), then by id.
    observationsById.set(
      row.id,
      observations.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    );
    if (template && customerEmail) {
      const variables = {
        name: person?.name ?? record.input.reporterName ?? customerEmail,
        subject: row.subject,
        ref: String(row.ref),
        workspace: template.workspace,
      };
      const id = newId();
      const subject = fillTemplate(template.subject, variables);
      const body = fillTemplate(template.body, variables);
      const inReplyTo = record.source?.messageId ?? null;
      messages.push({ item, row, subject, body, id });
      mails.push({
        workspaceId,
        to: customerEmail,
        subject,
        text: body,
        entity: 'item',
        entityId: row.id,
        replyTo: replyAddress(deps.config, row.reply_token),
        headers: {
          'Message-ID': outboundMessageId(deps.config, id),
          ...(inReplyTo ? { 'In-Reply-To': inReplyTo, References: inReplyTo } : {}),
        },
      });
    }
  }
  const writes = new WriteSet();
  writes.add(tx.insertInto('item_events').values(events).compile());
  await auditMany(writes.db, audits);
  if (observationRows.length > 0)
    writes.add(tx.insertInto('item_observations').values(observationRows).compile());
  // The acknowledgements go out like sendToCustomer's messages: conversation entry, outbox, contact log.
  const outboxIds = await queueMails(writes.db, mails);
  if (messages.length > 0) {
    writes.add(
      tx
        .insertInto('item_messages')
        .values(
          messages.map((message, index) => ({
            id: message.id,
            workspace_id: workspaceId,
            item_id: message.row.id,
            kind: 'outbound' as const,
            author_user_id: null,
            person_id: message.item.plan.person?.id ?? null,
            from_address: null,
            to_address: message.item.plan.customerEmail!,
            subject: message.subject,
            body_text: message.body,
            message_id: outboundMessageId(deps.config, message.id),
            outbox_id: outboxIds[index]!,
          })),
        )
        .compile(),
    );
    const contacts = messages.flatMap((message, index) =>
      message.item.plan.person
        ? [
            {
              id: newId(),
              workspace_id: workspaceId,
              person_id: message.item.plan.person.id,
              channel: 'email' as const,
              purpose: 'service' as const,
              outbox_id: outboxIds[index]!,
              created_at: message.item.plan.record.now,
            },
          ]
        : [],
    );
    if (contacts.length > 0) writes.add(tx.insertInto('contact_log').values(contacts).compile());
  }
  await writes.run(tx);
  const createdByPlan = new Map(
    items.map((item) => {
      const row = rowsById.get(item.values.id)!;
      const person = item.plan.person;
      return [
        item.plan,
        { row, personName: person ? person.name : null, observations: observationsById.get(row.id)! },
      ];
    }),
  );
  return planned.map((result) =>
    result.ok ? { ok: true, value: createdByPlan.get(result.value)! } : (result as BatchResult<CreatedItem>),
  );
}

/** Creates one item in the caller's transaction (mail-in, the portal); throws its error. */
export async function createItemRecord(
  tx: Queryable,
  deps: AppDeps,
  record: NewItemRecord,
): Promise<ItemRow> {
  const [result] = await writeItems(tx, deps, [record]);
  if (!result!.ok) throw result!.error;
  return result!.value.row;
}
