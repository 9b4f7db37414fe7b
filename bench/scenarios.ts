/**
 * What the benchmark asks: realistic search terms (prefixes, misspelt names, names in other
 * scripts, emails, phone digits, organizations, tags) and list pages with each single filter,
 * built from the generated sample.
 */
import { sql } from 'kysely';
import { encodeCursor, parseSort } from '../src/features/people/keyset.ts';
import type { Db } from '../src/platform/db/database.ts';
import { foldForSearch, listPeopleQuery } from '../src/shared/people.ts';
import { benchTags } from './generate.ts';
import type { LoadResult } from './load.ts';

const latin = /^[\p{Script=Latin}\s'.-]+$/u;
const accented = /[^ -~]/;

/** Two neighbouring letters swapped in the middle of the name: "Kirlin" → "Kilrin". */
function misspell(name: string): string {
  const at = Math.max(1, Math.floor(name.length / 2) - 1);
  return name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2);
}

export type SearchSets = Record<string, string[]>;

export async function searchTerms(db: Db, loaded: LoadResult): Promise<SearchSets> {
  const people = loaded.sample;
  const names = people.map((person) => String(person.row.display_name));
  const organizations = await sql<{ name: string }>`
    select name from organizations where id = any(cast(${loaded.organizationSample.map((org) => org.id)} as uuid[]))`.execute(
    db,
  );
  const sets: SearchSets = {
    namePrefix: people
      .map((person) => person.input.familyName ?? '')
      .filter((family) => latin.test(family) && family.length >= 4)
      .map((family) => family.slice(0, 4)),
    fullNameMisspelt: names.filter((name) => latin.test(name) && name.length >= 8).map(misspell),
    nameOtherScripts: names.filter((name) => !latin.test(name)),
    email: people.flatMap((person) => person.input.emails?.slice(0, 1).map((email) => email.value) ?? []),
    phoneDigits: people.flatMap(
      (person) =>
        person.input.phones?.slice(0, 1).map((phone) => {
          const digits = phone.value.replace(/\D/g, '');
          return `${digits.slice(-7, -4)} ${digits.slice(-4)}`;
        }) ?? [],
    ),
    organization: organizations.rows.map((row) => row.name.split(/\s+/)[0]!),
    tag: benchTags,
    // Typed lower case without the accents: "stanisław baginski" for "Stanisław Bagiński".
    nameWithoutAccents: names.filter((name) => latin.test(name) && accented.test(name)).map(foldForSearch),
    noteWord: await noteWords(db),
  };
  for (const [name, terms] of Object.entries(sets)) {
    sets[name] = terms.slice(0, 100).map((term) => `/api/v1/search?q=${encodeURIComponent(term)}`);
  }
  return sets;
}

/** One longer word from each of a sample of notes (full-text search). */
async function noteWords(db: Db): Promise<string[]> {
  const notes = await sql<{ notes: string }>`
    select notes from people tablesample system (1) repeatable (7) where notes is not null limit 100`.execute(
    db,
  );
  return notes.rows.flatMap((row, index) => {
    const words = row.notes.split(/[^\p{L}]+/u).filter((word) => word.length >= 6);
    return words.length > 0 ? [words[index % words.length]!] : [];
  });
}

export type ListSets = Record<string, string[]>;

/** Cursors into the middle of the list sorted by name: keyset pages far from the start. */
async function deepCursors(db: Db, workspaceId: string, total: number): Promise<string[]> {
  const sort = parseSort('name');
  const cursors: string[] = [];
  for (const fraction of [0.3, 0.5, 0.7, 0.9]) {
    const row = await db
      .selectFrom('people')
      .select(['sort_name', 'id'])
      .where('workspace_id', '=', workspaceId)
      .where('deleted_at', 'is', null)
      .orderBy('sort_name')
      .orderBy('id')
      .offset(Math.floor(total * fraction))
      .limit(1)
      .executeTakeFirst();
    if (row) cursors.push(encodeCursor(sort, row.sort_name, row.id));
  }
  return cursors;
}

export async function listPaths(
  db: Db,
  workspaceId: string,
  loaded: LoadResult,
  now: Date,
): Promise<ListSets> {
  const supported = new Set(Object.keys(listPeopleQuery.shape));
  const base = '/api/v1/people?limit=50';
  const sets: ListSets = {
    sortName: [base],
    sortCreatedDesc: [`${base}&sort=-createdAt`],
    stage: ['influencer', 'advocate', 'customer', 'partner'].map((stage) => `${base}&stage=${stage}`),
    tag: benchTags.slice(0, 8).map((tag) => `${base}&tag=${tag}`),
    owner: loaded.ownerIds.map((id) => `${base}&ownerId=${id}`),
    organization: loaded.organizationSample.slice(0, 50).map((org) => `${base}&organizationId=${org.id}`),
    deepPage: (await deepCursors(db, workspaceId, loaded.people)).map((after) => `${base}&after=${after}`),
    // The list's own search box: a family name as typed (typos tolerated, in name order).
    query: loaded.sample
      .map((person) => person.input.familyName ?? '')
      .filter((family) => latin.test(family) && family.length >= 4)
      .slice(0, 20)
      .map((family) => `${base}&q=${encodeURIComponent(family)}`),
  };
  if (supported.has('hasEmail')) sets.hasEmailFalse = [`${base}&hasEmail=false`];
  if (supported.has('hasPhone')) sets.hasPhoneTrue = [`${base}&hasPhone=true`];
  if (supported.has('lastContactedBefore')) {
    const yearAgo = new Date(now.getTime() - 365 * 86_400_000).toISOString();
    sets.lastContactedBefore = [`${base}&lastContactedBefore=${encodeURIComponent(yearAgo)}`];
  }
  return sets;
}
