/**
 * The life of one generated listening item, for `rapport seed --demo` and the benchmarks: the
 * item row, its append-only events, its conversation and its observations, all consistent with
 * each other (a closed item was informed and thanked or has a reason, a breach comes with its
 * escalation, nothing happens after `now`). Rows use column names and ISO times, ready for a
 * multi-row INSERT or a COPY. Deterministic for a given random generator.
 */
import type { ItemChannel, ItemKind, LadderLevel, Priority } from '../shared/listening.ts';
import type { Random } from './demo-data.ts';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
type Row = Record<string, unknown>;

/** A UUIDv7 for a moment in the past, so that generated ids sort like their creation times. */
export function idAt(ms: number, random: Random): string {
  const hex = (value: number, digits: number) => Math.floor(value).toString(16).padStart(digits, '0');
  const time = hex(ms, 12);
  const tail = () => hex(random.int(0x10000), 4);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(random.int(0x1000), 3)}-${hex(0x8000 | random.int(0x4000), 4)}-${tail()}${tail()}${tail()}`;
}

/** Calendar minutes per priority: first response, resolution (the seeded SLA policies). */
export const plannedSla: Record<Priority, [number, number]> = {
  urgent: [60, 8 * 60],
  high: [4 * 60, 24 * 60],
  normal: [8 * 60, 3 * 24 * 60],
  low: [24 * 60, 7 * 24 * 60],
};

export interface Staff {
  id: string;
  teamId: string | null;
}

export interface LifeInput {
  workspaceId: string;
  createdAt: number;
  now: number;
  kind: ItemKind;
  channel: ItemChannel;
  priority: Priority;
  subject: string;
  body: string;
  personId: string | null;
  /** The customer's address (the person's or the reporter's); null when unknown. */
  email: string | null;
  reporterName: string | null;
  organizationId: string | null;
  categoryId: string | null;
  problemId: string | null;
  agents: Staff[];
  /** Who assigns items and escalates by hand (a lead or manager). */
  lead: Staff;
  /** Chance that the item is forgotten at some step and stays open (a backlog). */
  stallChance: number;
  replyToken: string;
  tags: string[];
}

export interface PlannedItem {
  item: Row;
  events: Row[];
  messages: Row[];
}

const exp = (random: Random, mean: number) => Math.max(1, Math.round(-Math.log(1 - random.next()) * mean));
const iso = (ms: number) => new Date(ms).toISOString();
const emailChannels = new Set<ItemChannel>(['email', 'web_form', 'portal']);
const pace: Record<Priority, number> = { urgent: 0.25, high: 0.6, normal: 1, low: 2 };

/** Plans an item's life up to `now`; later steps simply have not happened yet. */
export function planItemLife(random: Random, input: LifeInput): PlannedItem {
  const { workspaceId, now } = input;
  const at0 = input.createdAt;
  const itemId = idAt(at0, random);
  const events: Row[] = [];
  const messages: Row[] = [];
  const slow = pace[input.priority];
  const event = (type: string, at: number, actor: Staff | 'system' | 'customer', data: Row = {}) =>
    events.push({
      id: idAt(at, random),
      workspace_id: workspaceId,
      item_id: itemId,
      type,
      actor_type: actor === 'system' ? 'system' : actor === 'customer' ? 'customer' : 'user',
      actor_id: actor === 'system' ? null : actor === 'customer' ? input.personId : actor.id,
      data,
      created_at: iso(at),
    });
  const message = (
    kind: 'outbound' | 'inbound' | 'note',
    at: number,
    author: Staff | null,
    subject: string,
    body: string,
  ) => {
    const id = idAt(at, random);
    messages.push({
      id,
      workspace_id: workspaceId,
      item_id: itemId,
      kind,
      author_user_id: author?.id ?? null,
      person_id: input.personId,
      from_address: kind === 'inbound' ? input.email : null,
      to_address: kind === 'outbound' ? input.email : null,
      subject,
      body_text: body,
      message_id:
        kind === 'note' ? null : `<${id}@${kind === 'inbound' ? 'customer.example' : 'demo.rapport.test'}>`,
      created_at: iso(at),
    });
    return id;
  };

  const item: Row = {
    id: itemId,
    workspace_id: workspaceId,
    kind: input.kind,
    channel: input.channel,
    subject: input.subject,
    body: input.body,
    person_id: input.personId,
    reporter_name: input.reporterName,
    reporter_email: input.personId ? null : input.email,
    organization_id: input.organizationId,
    category_id: input.categoryId,
    priority: input.priority,
    sentiment:
      input.kind === 'complaint'
        ? random.pick(['negative', 'very_negative', null])
        : input.kind === 'praise'
          ? 'very_positive'
          : null,
    status: 'new',
    owner_id: null,
    team_id: null,
    escalation_level: 'agent',
    escalated_at: null,
    tags: input.tags,
    first_response_due_at: null,
    resolution_due_at: null,
    first_response_breached_at: null,
    resolution_breached_at: null,
    sla_paused_at: null,
    sla_next_check_at: null,
    acknowledged_at: null,
    first_responded_at: null,
    resolved_at: null,
    resolution: null,
    informed_at: null,
    thanked_at: null,
    closed_at: null,
    close_reason: null,
    reopened_count: 0,
    vote_count: 0,
    staff_reply_count: 0,
    problem_id: input.problemId,
    reply_token: input.replyToken,
    created_by: null,
    created_at: iso(at0),
  };
  event('created', at0, input.channel === 'email' ? 'customer' : 'system', {
    kind: input.kind,
    channel: input.channel,
    priority: input.priority,
  });
  if (input.channel === 'email' && input.email) message('inbound', at0, null, input.subject, input.body);

  let at = at0;
  // Each step happens after the previous one; a step past `now`, or a stalled item, ends the life.
  const step = (mean: number) => {
    if (random.chance(input.stallChance / 4)) return false;
    at += exp(random, mean);
    return at < now;
  };
  const owner = random.pick(input.agents);
  const [firstMinutes, resolutionMinutes] = plannedSla[input.priority];
  const firstDue = at0 + firstMinutes * MINUTE;
  const resolutionDue = at0 + resolutionMinutes * MINUTE;
  item.first_response_due_at = iso(firstDue);
  item.resolution_due_at = iso(resolutionDue);

  const finish = () =>
    slaOutcome(random, { item, events, messages }, input, event, [at0, firstDue, resolutionDue]);

  if (emailChannels.has(input.channel) && input.email && at0 + MINUTE < now) {
    at += MINUTE;
    item.status = 'acknowledged';
    item.acknowledged_at = iso(at);
    message(
      'outbound',
      at,
      null,
      `We received ${input.subject}`,
      'Thank you for contacting us. Someone is taking care of it.',
    );
    event('acknowledged', at, 'system', { automatic: true });
  }
  if (!step(120 * slow * MINUTE)) return finish();
  item.owner_id = owner.id;
  item.team_id = owner.teamId;
  item.status = 'in_progress';
  if (random.chance(0.2)) event('assigned', at, input.lead, { ownerId: owner.id, previousOwnerId: null });
  else event('taken', at, owner, { ownerId: owner.id });
  if (random.chance(0.2)) {
    const note = message(
      'note',
      at + MINUTE,
      owner,
      '',
      'Checked the account history; nothing unusual so far.',
    );
    event('note_added', at + MINUTE, owner, { messageId: note });
  }
  if (!step(45 * slow * MINUTE)) return finish();
  item.first_responded_at = iso(at);
  item.staff_reply_count = 1;
  const reply = message(
    'outbound',
    at,
    owner,
    `Re: ${input.subject}`,
    'Thank you for telling us. We are looking into it and will come back to you.',
  );
  event('replied', at, owner, { messageId: reply });
  if (random.chance(0.2) && input.email) {
    event('status_changed', at, owner, { from: 'in_progress', to: 'waiting_on_customer' });
    item.status = 'waiting_on_customer';
    if (!step(DAY)) return finish();
    const answer = message(
      'inbound',
      at,
      null,
      `Re: ${input.subject}`,
      'Here are the details you asked for.',
    );
    event('customer_replied', at, 'customer', { messageId: answer });
    item.status = 'in_progress';
  }
  if (!step(resolutionMinutes * 0.6 * MINUTE)) return finish();
  item.status = 'resolved';
  item.resolved_at = iso(at);
  item.resolution = random.pick(resolutions);
  event('resolved', at, owner, { resolution: item.resolution });
  if (random.chance(0.07)) {
    // Closed without the loop: the customer cannot be reached or was anonymous.
    if (!step(DAY)) return finish();
    item.close_reason = input.personId || input.email ? 'customer unreachable' : 'anonymous';
    close(item, at, owner, event);
    return finish();
  }
  if (!step(60 * MINUTE)) return finish();
  const how = input.email && random.chance(0.6) ? 'email' : 'phone';
  item.informed_at = iso(at);
  if (how === 'email') message('outbound', at, owner, `Update: ${input.subject}`, String(item.resolution));
  event('informed', at, owner, { how, summary: item.resolution });
  if (!step(30 * MINUTE)) return finish();
  item.thanked_at = iso(at);
  if (how === 'email')
    message(
      'outbound',
      at,
      owner,
      'Thank you',
      'Thank you for telling us. It helps us do better for everyone.',
    );
  event('thanked', at, owner, { how });
  if (!step(DAY)) return finish();
  close(item, at, owner, event);
  if (random.chance(0.03) && step(5 * DAY)) {
    item.status = 'reopened';
    item.closed_at = null;
    item.reopened_count = 1;
    if (input.email) message('inbound', at, null, `Re: ${input.subject}`, 'It happened again.');
    event('reopened', at, 'customer', { reason: 'The customer wrote back.' });
  }
  return finish();
}

const resolutions = [
  'Replaced the faulty part free of charge.',
  'Corrected the invoice and refunded the difference.',
  'Explained how the setting works; the customer confirmed it is solved.',
  'Passed the suggestion to the product team; it is on the roadmap.',
  'Rebooked the delivery for the next morning.',
];

type EventFn = (type: string, at: number, actor: Staff | 'system' | 'customer', data?: Row) => void;

function close(item: Row, at: number, owner: Staff, event: EventFn) {
  item.status = 'closed';
  item.closed_at = iso(at);
  event('closed', at, owner, item.close_reason ? { reason: item.close_reason } : {});
}

/** Breaches, automatic escalations and the next SLA check, from what happened and when. */
function slaOutcome(
  random: Random,
  planned: PlannedItem,
  input: LifeInput,
  event: EventFn,
  [at0, firstDue, resolutionDue]: [number, number, number],
): PlannedItem {
  const { item, events } = planned;
  const now = input.now;
  const responded = item.first_responded_at ? Date.parse(String(item.first_responded_at)) : now;
  const resolved = item.resolved_at
    ? Date.parse(String(item.resolved_at))
    : item.closed_at
      ? Date.parse(String(item.closed_at))
      : now;
  const escalate = (level: LadderLevel, at: number, reason: string) => {
    const from = item.escalation_level;
    item.escalation_level = level;
    item.escalated_at = iso(at);
    event('escalated', at, 'system', { from, to: level, reason, automatic: true });
  };
  if (responded > firstDue && firstDue < now) {
    item.first_response_breached_at = iso(firstDue + MINUTE);
    event('sla_breached', firstDue + MINUTE, 'system', { target: 'first_response' });
    escalate('lead', firstDue + MINUTE, 'First response target breached.');
  }
  if (resolved > resolutionDue && resolutionDue < now) {
    item.resolution_breached_at = iso(resolutionDue + MINUTE);
    event('sla_breached', resolutionDue + MINUTE, 'system', { target: 'resolution' });
    escalate('manager', resolutionDue + MINUTE, 'Resolution target breached.');
  }
  const open = item.status !== 'closed' && item.status !== 'resolved';
  const overdue = at0 + 2 * (resolutionDue - at0);
  if (open && overdue < now)
    escalate('executive', overdue + MINUTE, 'Still open after twice the resolution target.');
  else if (open && item.escalation_level === 'agent' && input.priority === 'urgent' && random.chance(0.3)) {
    const at = Math.max(at0, Math.min(now - MINUTE, at0 + 30 * MINUTE));
    item.escalation_level = 'lead';
    item.escalated_at = iso(at);
    event('escalated', at, input.lead, { from: 'agent', to: 'lead', reason: 'Key account, urgent.' });
  }
  item.sla_paused_at = item.status === 'waiting_on_customer' ? item.first_responded_at : null;
  // The sweep looks at an open item again at its next target; breached at every level: never.
  const next = [firstDue, resolutionDue, overdue].find((due) => due > now);
  item.sla_next_check_at = open && next && item.status !== 'waiting_on_customer' ? iso(next) : null;
  events.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
  item.updated_at = events.at(-1)!.created_at;
  return planned;
}
