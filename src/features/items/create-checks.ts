import { sql } from 'kysely';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import { type BatchResult, settle } from '../../platform/db/write-batcher.ts';
import { newId } from '../../platform/ids.ts';
import type { CreateItemInput, ObservationTemplateField } from '../../shared/listening.ts';
import { emailKey, type FieldProblem } from '../../shared/people.ts';
import { defaultTerms } from '../../shared/portal.ts';
import { emptyPersonState, personColumns, unprocessable } from '../people/normalize.ts';
import { insertPerson, personOutput } from '../people/queries.ts';
import { type ContactCheck, checkContact } from '../portal/terms/enforce.ts';
import { defaultTemplate } from '../templates/render.ts';
import { type CheckedObservation, categoryTemplate, checkObservation } from './observations.ts';

/*
 * What a batch of new items reads and checks before anything is written (writeItems in
 * create.ts): references, reporters, acknowledgement templates, the customers' terms and the
 * observations. Each read is made once for the whole batch.
 */

export interface PersonRef {
  id: string;
  name: string;
  organizationId: string | null;
  email: string | null;
}

/** The primary email of people row p, else its first. */
const primaryEmail = sql`(select e->>'value' from jsonb_array_elements(p.emails) e
  order by (e->>'primary')::boolean is true desc limit 1)`;

export type References = {
  person: PersonRef | null;
  matched: PersonRef | null;
  organization_ok: boolean;
  category_ok: boolean;
};

const personJson = sql`json_build_object('id', p.id, 'name', p.display_name,
  'organizationId', p.organization_id, 'email', ${primaryEmail})`;

/** One round trip for the whole batch: per input, its person, the person matching the reporter email, org and category checks. */
export async function lookUpReferences(tx: Queryable, workspaceId: string, inputs: CreateItemInput[]) {
  const column = <T>(pick: (input: CreateItemInput) => T | undefined) =>
    inputs.map((input) => pick(input) ?? null);
  const result = await sql<References>`select
    (select ${personJson} from people p where p.workspace_id = ${workspaceId}
      and p.id = x.person_id and p.deleted_at is null) as person,
    (select ${personJson} from people p where p.workspace_id = ${workspaceId}
      and p.email_keys @> array[x.email_key] and p.deleted_at is null
      -- By the id's text (the same order): ordering by the id itself lets the planner walk the
      -- primary key testing every person, as it cannot know how rare the batch's emails are.
      order by p.id::text limit 1) as matched,
    exists (select 1 from organizations o where o.workspace_id = ${workspaceId}
      and o.id = x.organization_id and o.deleted_at is null) as organization_ok,
    exists (select 1 from item_categories c where c.workspace_id = ${workspaceId}
      and c.id = x.category_id) as category_ok
    from unnest(${column((input) => input.personId)}::uuid[],
      ${column((input) => (input.reporterEmail ? emailKey(input.reporterEmail) : null))}::text[],
      ${column((input) => input.organizationId)}::uuid[],
      ${column((input) => input.categoryId)}::uuid[])
      with ordinality as x(person_id, email_key, organization_id, category_id, ord)
    order by x.ord`.execute(tx);
  return result.rows;
}

export function checkReferences(input: CreateItemInput, refs: References) {
  const problems: FieldProblem[] = [];
  if (input.personId && !refs.person)
    problems.push({ path: 'body.personId', message: 'is not a person of this workspace.' });
  if (input.organizationId && !refs.organization_ok)
    problems.push({ path: 'body.organizationId', message: 'is not an organization of this workspace.' });
  if (input.categoryId && !refs.category_ok)
    problems.push({ path: 'body.categoryId', message: 'is not an item category of this workspace.' });
  if (problems.length > 0) throw unprocessable(problems);
}

/**
 * Serializes the creation of reporters per email until the transaction ends: two transactions that
 * meet the same new reporter at once (two batches of items, mail and the portal) would otherwise
 * each create them. Keys are locked in sorted order, so two batches cannot deadlock.
 */
export async function lockReporterEmails(tx: Queryable, workspaceId: string, emails: string[]) {
  if (emails.length === 0) return;
  const keys = [...new Set(emails.map((email) => emailKey(email)))].sort();
  await sql`select pg_advisory_xact_lock(hashtextextended(${workspaceId}::text || ':reporter:' || x.key, 0))
    from unnest(${keys}::text[]) with ordinality as x(key, ord) order by x.ord`.execute(tx);
}

/**
 * An unknown reporter becomes a prospect, named after them or after their email's local part —
 * unless a transaction that held the email's lock created them meanwhile: then that person.
 */
export async function createReporter(
  tx: Queryable,
  workspaceId: string,
  auditActor: Actor,
  requestId: string | null,
  reporter: { name: string | undefined; email: string },
): Promise<PersonRef> {
  await lockReporterEmails(tx, workspaceId, [reporter.email]);
  const existing = await sql<{ person: PersonRef }>`select ${personJson} as person from people p
    where p.workspace_id = ${workspaceId} and p.email_keys @> array[${emailKey(reporter.email)}]::text[]
      and p.deleted_at is null
    order by p.id::text limit 1`.execute(tx);
  if (existing.rows[0]) return existing.rows[0].person;
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

interface AcknowledgementTemplates {
  workspace: string;
  byKind: Map<string, { enabled: boolean; subject: string; body: string }>;
}

/** The workspace's acknowledgement templates by kind, and its name for {{workspace}}: one read per batch. */
export async function acknowledgementTemplates(
  tx: Queryable,
  workspaceId: string,
): Promise<AcknowledgementTemplates> {
  const result = await sql<{
    workspace: string;
    kind: string | null;
    enabled: boolean | null;
    subject: string | null;
    body: string | null;
  }>`select w.name as workspace, t.kind, t.enabled, t.subject, t.body from workspaces w
    left join message_templates t on t.workspace_id = w.id and t.purpose = 'acknowledgement'
    where w.id = ${workspaceId}`.execute(tx);
  const byKind = new Map<string, { enabled: boolean; subject: string; body: string }>();
  for (const row of result.rows) {
    if (row.kind !== null)
      byKind.set(row.kind, { enabled: row.enabled!, subject: row.subject!, body: row.body! });
  }
  return { workspace: result.rows[0]?.workspace ?? '', byKind };
}

export function acknowledgementOf(templates: AcknowledgementTemplates, kind: CreateItemInput['kind']) {
  const template = templates.byKind.get(kind) ?? defaultTemplate('acknowledgement', kind);
  return template.enabled ? { workspace: templates.workspace, ...template } : null;
}

// Without terms of their own a person has the defaults: the acknowledgement's check is then known.
const defaultsAllowServiceEmail = defaultTerms.channels.email && defaultTerms.purposes.service;

/** Whether each person may get a service email, reading the terms of those who set any (one query). */
export async function contactChecks(tx: Queryable, workspaceId: string, personIds: string[], now: Date) {
  const checks = new Map<string, ContactCheck>();
  if (personIds.length === 0) return checks;
  const withTerms = new Set(
    (
      await tx
        .selectFrom('person_terms')
        .select('person_id')
        .distinct()
        .where('workspace_id', '=', workspaceId)
        .where('person_id', 'in', personIds)
        .execute()
    ).map((row) => row.person_id),
  );
  for (const personId of personIds) {
    checks.set(
      personId,
      withTerms.has(personId) || !defaultsAllowServiceEmail
        ? await checkContact(tx, { workspaceId, personId, channel: 'email', purpose: 'service', now })
        : { allowed: true },
    );
  }
  return checks;
}

/** Each input's observations checked against its category's template (read once per category). */
export async function checkAllObservations(
  tx: Queryable,
  workspaceId: string,
  inputs: CreateItemInput[],
): Promise<BatchResult<CheckedObservation[]>[]> {
  const templates = new Map<string, ObservationTemplateField[]>();
  for (const input of inputs) {
    const categoryId = input.categoryId;
    if (input.observations.length > 0 && categoryId && !templates.has(categoryId))
      templates.set(categoryId, await categoryTemplate(tx, workspaceId, categoryId));
  }
  return settle(inputs, (input) => {
    if (input.observations.length === 0) return [];
    const template = input.categoryId ? (templates.get(input.categoryId) ?? []) : [];
    const problems: FieldProblem[] = [];
    const checked: CheckedObservation[] = [];
    input.observations.forEach((observation, index) => {
      const result = checkObservation(observation, template);
      if ('problem' in result) {
        problems.push({
          path: `body.observations.${index}.${result.problem.field}`,
          message: result.problem.message,
        });
      } else checked.push(result.ok);
    });
    if (problems.length > 0) throw unprocessable(problems);
    // The same value recorded twice is one fact (as insertObservations does).
    const facts = new Map(
      checked.map((observation) => [`${observation.key}\u0000${observation.valueKey}`, observation]),
    );
    return [...facts.values()];
  });
}
