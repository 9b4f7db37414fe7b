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
import { type SettingsRow, type SlaSettings, slaSettingsColumns, slaSettingsOf } from '../sla/settings.ts';
import { defaultTemplate } from '../templates/render.ts';
import { type CheckedObservation, checkObservation } from './observations.ts';

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

/** What a batch of new items reads before it writes (readForBatch). */
export interface BatchReads {
  /** Per input, in order. */
  refs: References[];
  /** The people the inputs name (personId) who set terms of their own. */
  withTerms: Set<string>;
  /** The ids whose terms readForBatch looked at: the inputs' personIds (a reporter matched or
   *  created is read by contactChecks). */
  termsKnown: Set<string>;
  /** Observation templates of the batch's categories, by id. */
  categoryTemplates: Map<string, ObservationTemplateField[]>;
  acknowledgements: AcknowledgementTemplates;
  sla: SlaSettings;
}

/**
 * Everything a batch reads before it writes, in two round trips (were five): per input, its
 * person, the person matching the reporter email, the organization and category checks; then the
 * workspace's part: which of the named people set terms, the categories' observation templates,
 * the acknowledgement templates and workspace name, the SLA settings. (One statement for both
 * took three times as long to plan as the two on 1M people: 1.5 against 0.6 ms.)
 */
export async function readForBatch(
  tx: Queryable,
  workspaceId: string,
  inputs: CreateItemInput[],
): Promise<BatchReads> {
  const column = <T>(pick: (input: CreateItemInput) => T | undefined) =>
    inputs.map((input) => pick(input) ?? null);
  const categoryIds = [...new Set(inputs.flatMap((input) => input.categoryId ?? []))];
  const personIds = [...new Set(inputs.flatMap((input) => input.personId?.toLowerCase() ?? []))];
  const refs = await sql<References>`select
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
  const result = await sql<
    Omit<SettingsRow, 'workspace_id'> & {
      with_terms: string[];
      category_templates: Record<string, ObservationTemplateField[]> | null;
      workspace: string;
      acknowledgements: { kind: string; enabled: boolean; subject: string; body: string }[] | null;
    }
  >`select
    array(select distinct t.person_id::text from person_terms t where t.workspace_id = w.id
      and t.person_id = any(${personIds}::uuid[])) as with_terms,
    (select json_object_agg(c.id, c.observation_template) from item_categories c
      where c.workspace_id = w.id and c.id = any(${categoryIds}::uuid[])) as category_templates,
    w.name as workspace,
    (select json_agg(json_build_object('kind', t.kind, 'enabled', t.enabled, 'subject', t.subject,
        'body', t.body))
      from message_templates t where t.workspace_id = w.id and t.purpose = 'acknowledgement') as acknowledgements,
    ${slaSettingsColumns}
  from workspaces w where w.id = ${workspaceId}`.execute(tx);
  const row = result.rows[0];
  if (!row) throw new Error(`Workspace ${workspaceId} does not exist`);
  const byKind = new Map<string, { enabled: boolean; subject: string; body: string }>();
  for (const template of row.acknowledgements ?? []) byKind.set(template.kind, template);
  return {
    refs: refs.rows,
    withTerms: new Set(row.with_terms),
    termsKnown: new Set(personIds),
    categoryTemplates: new Map(Object.entries(row.category_templates ?? {})),
    acknowledgements: { workspace: row.workspace, byKind },
    sla: slaSettingsOf(row),
  };
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

export function acknowledgementOf(templates: AcknowledgementTemplates, kind: CreateItemInput['kind']) {
  const template = templates.byKind.get(kind) ?? defaultTemplate('acknowledgement', kind);
  return template.enabled ? { workspace: templates.workspace, ...template } : null;
}

// Without terms of their own a person has the defaults: the acknowledgement's check is then known.
const defaultsAllowServiceEmail = defaultTerms.channels.email && defaultTerms.purposes.service;

/**
 * Whether each person may get a service email, reading the terms of those who set any. `known`:
 * who among them readForBatch already looked at (and who of those set terms); the others are
 * read here (a reporter created or found during the batch). Terms read at the start of the batch
 * can be a few milliseconds older than its write (it may wait on a reporter's lock): a customer's
 * change of terms in that moment applies from the next message.
 */
export async function contactChecks(
  tx: Queryable,
  workspaceId: string,
  personIds: string[],
  now: Date,
  known: Pick<BatchReads, 'termsKnown' | 'withTerms'>,
) {
  const checks = new Map<string, ContactCheck>();
  if (personIds.length === 0) return checks;
  const unknown = personIds.filter((id) => !known.termsKnown.has(id));
  const withTerms = new Set(known.withTerms);
  if (unknown.length > 0) {
    const rows = await tx
      .selectFrom('person_terms')
      .select('person_id')
      .distinct()
      .where('workspace_id', '=', workspaceId)
      .where('person_id', 'in', unknown)
      .execute();
    for (const row of rows) withTerms.add(row.person_id);
  }
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

/** Each input's observations checked against its category's template (read by readForBatch). */
export function checkAllObservations(
  inputs: CreateItemInput[],
  templates: Map<string, ObservationTemplateField[]>,
): BatchResult<CheckedObservation[]>[] {
  return settle(inputs, (input) => {
    if (input.observations.length === 0) return [];
    // Ids are keyed as the database writes them (lower case); the API also accepts upper case.
    const template = input.categoryId ? (templates.get(input.categoryId.toLowerCase()) ?? []) : [];
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
