/**
 * The demo workspace's Rolodex: organizations, people (through the API's normalization),
 * interactions over the last two years with "last contacted" kept consistent, and
 * relationships (influencers, referrals, reporting lines, friends and family). Deterministic.
 */
import { sql } from 'kysely';
import { organizationColumns, organizationOutput } from '../features/organizations/queries.ts';
import {
  applyPersonInput,
  emptyPersonState,
  type PersonColumns,
  personColumns,
} from '../features/people/normalize.ts';
import { personOutput } from '../features/people/queries.ts';
import { type AuditContext, audit } from '../platform/audit.ts';
import type { Tx } from '../platform/db/database.ts';
import { newId } from '../platform/ids.ts';
import type { CreatePersonInput, Stage } from '../shared/people.ts';
import {
  demoOrganizations,
  demoPhone,
  demoStages,
  demoTags,
  jobTitles,
  nameGroups,
  noteTemplates,
  type Random,
  seededRandom,
  sources,
  summaries,
} from './demo-data.ts';

export const demoCounts = { people: 300, organizations: demoOrganizations.length };
const DAY = 86_400_000;

interface SeededPerson {
  id: string;
  stage: Stage;
  organizationId: string | null;
  ownerId: string | null;
}

interface Interaction {
  occurredAt: Date;
  type: keyof typeof summaries;
}

const channelOf = { call: 'phone', meeting: 'video', email: 'email', message: 'chat' } as const;

/** Oldest first; about one person in seven has gone quiet (nothing in the last four months). */
function plannedInteractions(random: Random, now: number): Interaction[] {
  const count = random.weighted([
    [0, 35],
    [1, 20],
    [2, 15],
    [3, 12],
    [5, 12],
    [8, 6],
  ] as const);
  const quiet = random.chance(0.15);
  const newest = quiet ? now - 120 * DAY : now - DAY;
  return Array.from({ length: count }, () => newest - random.int(600) * DAY - random.int(DAY))
    .sort((a, b) => a - b)
    .map((ms) => ({
      occurredAt: new Date(ms),
      type: random.weighted([
        ['email', 40],
        ['call', 30],
        ['meeting', 20],
        ['message', 10],
      ] as const),
    }));
}

export async function seedRolodex(
  tx: Tx,
  context: AuditContext,
  workspaceId: string,
  staffIds: string[],
  now = Date.now(),
) {
  const random = seededRandom(2026);
  const organizations: { id: string; domain: string }[] = [];
  for (const [index, [name, domain, industry, country]] of demoOrganizations.entries()) {
    const parent = name === 'Pied Piper' ? organizations.find((org) => org.domain === 'hooli.example') : null;
    const row = await tx
      .insertInto('organizations')
      .values({
        id: newId(),
        workspace_id: workspaceId,
        ...organizationColumns({
          name,
          domains: [domain],
          industry,
          size: random.pick(['1-10', '11-50', '51-200', '201-1000', '1000+']),
          address: { street: null, city: null, region: null, postalCode: null, country },
          parentId: parent?.id ?? null,
          tags: random.sample(demoTags, random.int(2)),
          customFields: {},
          notes: index % 5 === 0 ? 'Key account: quarterly business review with the owner.' : null,
        }),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    organizations.push({ id: row.id, domain });
    await audit(tx, context, {
      action: 'organization.created',
      entity: 'organization',
      entityId: row.id,
      after: organizationOutput(row),
    });
  }

  const people: SeededPerson[] = [];
  const rows: ({ id: string; workspace_id: string } & PersonColumns)[] = [];
  const plans: Interaction[][] = [];
  const usedNames = new Set<string>();
  let interactionCount = 0;
  for (let index = 0; index < demoCounts.people; index++) {
    const group = random.weighted(nameGroups.map((item) => [item, item.weight] as const));
    let [given, family] = [random.pick(group.givens), random.pick(group.families)];
    for (let attempt = 0; attempt < 20 && usedNames.has(`${given[0]} ${family[0]}`); attempt++) {
      [given, family] = [random.pick(group.givens), random.pick(group.families)];
    }
    usedNames.add(`${given[0]} ${family[0]}`);
    const organization = random.chance(0.7) ? random.pick(organizations) : null;
    const handle = `${given[1]}.${family[1]}`;
    const phone = random.chance(0.8) ? demoPhone(random, group.country) : null;
    const stage = random.weighted(demoStages);
    const ownerId = staffIds.length > 0 && random.chance(0.9) ? random.pick(staffIds) : null;
    const planned = plannedInteractions(random, now);
    const input: CreatePersonInput = {
      givenName: given[0],
      familyName: family[0],
      jobTitle: random.chance(0.8) ? random.pick(jobTitles) : null,
      stage,
      source: random.chance(0.6) ? random.pick(sources) : null,
      ownerId,
      organizationId: organization?.id ?? null,
      emails: random.chance(0.92)
        ? [
            {
              value: `${handle}@${organization?.domain ?? 'mail.example'}`,
              label: organization ? 'work' : 'home',
            },
          ]
        : [],
      phones: phone ? [{ value: phone, label: 'mobile' }] : [],
      tags: random.sample(
        demoTags,
        random.weighted([
          [0, 40],
          [1, 35],
          [2, 18],
          [3, 7],
        ] as const),
      ),
      notes: random.chance(0.3) ? random.pick(noteTemplates) : null,
      birthday: random.chance(0.2)
        ? `${1960 + random.int(40)}-${String(1 + random.int(12)).padStart(2, '0')}-${String(1 + random.int(28)).padStart(2, '0')}`
        : null,
      lastContactedAt: planned.at(-1)?.occurredAt.toISOString() ?? null,
      nextFollowUpAt: random.chance(0.25) ? new Date(now + (1 + random.int(30)) * DAY).toISOString() : null,
    };
    if (!input.emails?.length && !input.phones?.length) input.emails = [{ value: `${handle}@mail.example` }];
    const state = applyPersonInput(emptyPersonState(), input, 'US');
    const id = newId();
    rows.push({ id, workspace_id: workspaceId, ...personColumns(state) });
    people.push({ id, stage, organizationId: organization?.id ?? null, ownerId });
    plans.push(planned);
  }
  // Batches, with fresh planner statistics before each: the duplicate-detection trigger on
  // people runs once per statement, and plans it badly on a table the planner thinks is empty
  // (the embedded database has no autovacuum to analyze it).
  const inserted = [];
  for (let index = 0; index < rows.length; index += 50) {
    await sql`analyze people`.execute(tx);
    const batch = await tx
      .insertInto('people')
      .values(rows.slice(index, index + 50))
      .returningAll()
      .returning(sql<string | null>`to_char(birthday, 'YYYY-MM-DD')`.as('birthday_text'))
      .execute();
    inserted.push(...batch);
  }
  for (const row of inserted) {
    await audit(tx, context, {
      action: 'person.created',
      entity: 'person',
      entityId: row.id,
      after: personOutput(row),
    });
  }
  for (const [index, person] of people.entries()) {
    for (const item of plans[index]!) {
      await logInteraction(tx, context, workspaceId, random, item, person);
      interactionCount++;
    }
  }
  const relationships = await seedRelationships(tx, context, workspaceId, random, people);
  await sql`analyze organizations, people, interactions, interaction_people, relationships`.execute(tx);
  return {
    organizations: organizations.length,
    people: people.length,
    interactions: interactionCount,
    relationships,
  };
}

async function logInteraction(
  tx: Tx,
  context: AuditContext,
  workspaceId: string,
  random: Random,
  item: Interaction,
  person: SeededPerson,
) {
  const timed = item.type === 'call' || item.type === 'meeting';
  const values = {
    id: newId(),
    workspace_id: workspaceId,
    type: item.type,
    channel: channelOf[item.type],
    direction: random.chance(0.6) ? ('outbound' as const) : ('inbound' as const),
    occurred_at: item.occurredAt,
    duration_minutes: timed ? 10 + random.int(50) : null,
    summary: random.pick(summaries[item.type]),
    outcome: random.chance(0.3) ? random.pick(['Interested', 'Sent a quote', 'Follow up next month']) : null,
    organization_id: person.organizationId,
    created_by: person.ownerId,
    created_at: item.occurredAt,
    updated_at: item.occurredAt,
  };
  await tx.insertInto('interactions').values(values).execute();
  await tx
    .insertInto('interaction_people')
    .values({
      workspace_id: workspaceId,
      interaction_id: values.id,
      person_id: person.id,
      occurred_at: item.occurredAt,
    })
    .execute();
  if (person.ownerId) {
    await tx
      .insertInto('interaction_staff')
      .values({ workspace_id: workspaceId, interaction_id: values.id, user_id: person.ownerId })
      .execute();
  }
  await audit(tx, context, {
    action: 'interaction.created',
    entity: 'interaction',
    entityId: values.id,
    after: values,
  });
}

/** Influencers and advocates influence a few customers and prospects; referrals, colleagues, friends. */
async function seedRelationships(
  tx: Tx,
  context: AuditContext,
  workspaceId: string,
  random: Random,
  people: SeededPerson[],
) {
  const links = new Map<string, { from: string; to: string; type: string }>();
  const link = (from: SeededPerson, to: SeededPerson, type: string, symmetric = false) => {
    if (from.id === to.id) return;
    const [a, b] = symmetric && from.id > to.id ? [to.id, from.id] : [from.id, to.id];
    links.set(`${a} ${type} ${b}`, { from: a, to: b, type });
  };
  const influencers = people.filter((person) => person.stage === 'influencer' || person.stage === 'advocate');
  const buyers = people.filter((person) => person.stage === 'customer' || person.stage === 'prospect');
  for (const influencer of influencers) {
    for (const target of random.sample(buyers, 2 + random.int(4))) link(influencer, target, 'influences');
  }
  for (const person of random.sample(buyers, 25)) link(person, random.pick(people), 'referred_by');
  for (const person of people.filter((item) => item.organizationId).slice(0, 60)) {
    const colleague = people.find(
      (other) => other.organizationId === person.organizationId && other.id !== person.id,
    );
    if (colleague && random.chance(0.3)) link(person, colleague, 'reports_to');
  }
  for (let index = 0; index < 8; index++) link(random.pick(people), random.pick(people), 'friend', true);
  for (let index = 0; index < 3; index++) link(random.pick(people), random.pick(people), 'family', true);
  for (const { from, to, type } of links.values()) {
    const values = {
      id: newId(),
      workspace_id: workspaceId,
      from_type: 'person' as const,
      from_id: from,
      to_type: 'person' as const,
      to_id: to,
      type,
      note: null,
      created_by: null,
    };
    await tx.insertInto('relationships').values(values).execute();
    await audit(tx, context, {
      action: 'relationship.created',
      entity: 'relationship',
      entityId: values.id,
      after: values,
    });
  }
  return links.size;
}
