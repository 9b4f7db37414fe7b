import { sql } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { Db, Queryable } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import type { CustomField } from '../../shared/custom-fields.ts';
import type { OnMatchPolicy } from '../../shared/imports.ts';
import { cleanText, foldForSearch } from '../../shared/people.ts';
import { applyPersonInput, displayNameOf, type PersonState, personColumns } from '../people/normalize.ts';
import { setWriter } from '../people/notes-history.ts';
import { stateOf } from '../people/queries.ts';
import type { ImportDraft } from './draft.ts';
import {
  existingIds,
  findMatches,
  findOrganizationsByName,
  insertOrganizations,
  type PersonRecord,
  personRecord,
  upsertPeople,
} from './queries.ts';
import { matchKeys, mergeInput, rowProblemText, validateDraft } from './validate.ts';

export interface BatchContext {
  db: Db;
  importId: string;
  workspaceId: string;
  region: string;
  onMatch: OnMatchPolicy;
  dryRun: boolean;
  audit: AuditContext;
  /** Dry runs write nothing, so rows "created" earlier in the file are remembered here. */
  dryRunKeys: Set<string>;
  dryRunOrganizations: Set<string>;
  /** Skipped rows reported so far: past maxSkipNotices they are counted, not listed. */
  skipNotices: number;
  /** The workspace's custom field definitions for people (values are checked against them). */
  definitions: readonly Pick<CustomField, 'key' | 'type' | 'options'>[];
}

export interface BatchResult {
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  warnings: number;
  organizationsCreated: number;
}

interface Problem {
  row: number;
  severity: 'error' | 'warning';
  message: string;
}

/** A person about to be written by this batch; later rows of the batch can match it too. */
interface Pending {
  id: string;
  state: PersonState;
  before: PersonState | null;
  /** The file's row that creates this person (absent for people already in Rapport). */
  row?: number;
}

/** A re-import of a big file skips every row: the report lists the first ones and says so. */
export const maxSkipNotices = 1000;

const matchedBy = (key: string) => (key.startsWith('e:') ? 'email' : key.startsWith('p:') ? 'phone' : 'name');

/** Why a row was skipped, for the report: which row or which person it matched, and by what. */
function skippedBecause(key: string, match: Pending | null): string {
  const by = matchedBy(key);
  if (!match) return `Skipped: the same ${by} as an earlier row of the file.`;
  if (match.row !== undefined) return `Skipped: the same ${by} as row ${match.row}.`;
  const name = displayNameOf(match.state) ?? 'a person';
  return `Skipped: ${name} is already in Rapport with this ${by} (import with "Update the person" to add this row's details).`;
}

type ValidRow = { draft: ImportDraft; validated: Extract<ReturnType<typeof validateDraft>, { ok: true }> };

/** A batch read, validated and normalized, not yet matched nor written. */
export interface PreparedBatch {
  drafts: ImportDraft[];
  valid: ValidRow[];
  result: BatchResult;
  problems: Problem[];
}

/**
 * The part of a batch that needs no database: validate and normalize every row (as the people
 * API does). Pure computation, so the job runs it for the next batch while this one writes.
 */
export function prepareBatch(ctx: Pick<BatchContext, 'region' | 'definitions'>, drafts: ImportDraft[]) {
  const result: BatchResult = {
    processed: drafts.length,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    warnings: 0,
    organizationsCreated: 0,
  };
  const problems: Problem[] = [];
  const valid: ValidRow[] = [];
  for (const draft of drafts) {
    for (const message of draft.warnings) problems.push({ row: draft.row, severity: 'warning', message });
    const validated = validateDraft(draft, ctx.region, ctx.definitions);
    if (validated.ok) valid.push({ draft, validated });
    else {
      result.failed++;
      problems.push({ row: draft.row, severity: 'error', message: validated.message });
    }
  }
  result.warnings = problems.length - result.failed;
  return { drafts, valid, result, problems };
}

/** One batch through the whole path (prepareBatch, then writeBatch). */
export async function processBatch(
  ctx: BatchContext,
  drafts: ImportDraft[],
  bytesRead: number,
): Promise<BatchResult> {
  return writeBatch(ctx, prepareBatch(ctx, drafts), bytesRead);
}

/**
 * Resolves organizations by name, matches existing people by email, then phone, then name and
 * organization (one query for the whole batch), and writes everything in one transaction with
 * the import's progress, the rows' problems and one audit entry. The batch's last row is
 * committed with it, so a retried job resumes after it.
 */
export async function writeBatch(
  ctx: BatchContext,
  prepared: PreparedBatch,
  bytesRead: number,
): Promise<BatchResult> {
  const { drafts, valid, result, problems } = prepared;

  const write = async (tx: Queryable) => {
    // Notes history (a trigger) records who wrote the notes.
    if (!ctx.dryRun && ctx.audit.actor.userId) await setWriter(tx, ctx.audit.actor.userId);
    // References given by id (our own vCards) must exist in this workspace.
    const givenOrgIds = valid.map((v) => v.validated.state.organizationId).filter((id): id is string => !!id);
    const givenOwnerIds = valid.map((v) => v.validated.state.ownerId).filter((id): id is string => !!id);
    const liveOrgs = await existingIds(tx, 'organizations', ctx.workspaceId, [...new Set(givenOrgIds)]);
    const liveOwners = await existingIds(tx, 'users', ctx.workspaceId, [...new Set(givenOwnerIds)]);
    const names = new Map<string, string>();
    for (const { draft, validated } of valid) {
      const state = validated.state;
      if (state.organizationId && !liveOrgs.has(state.organizationId)) state.organizationId = null;
      if (state.ownerId && !liveOwners.has(state.ownerId)) {
        problems.push({
          row: draft.row,
          severity: 'warning',
          message: 'the owner is not a staff user here; left empty.',
        });
        result.warnings++;
        state.ownerId = null;
      }
      const name = cleanText(draft.organizationName);
      if (name && !state.organizationId) names.set(foldForSearch(name), name);
    }
    const orgIds = await findOrganizationsByName(tx, ctx.workspaceId, [...names.keys()]);
    const missing = [...names].filter(([folded]) => !orgIds.has(folded));
    if (ctx.dryRun) {
      for (const [folded] of missing) {
        if (!ctx.dryRunOrganizations.has(folded)) result.organizationsCreated++;
        ctx.dryRunOrganizations.add(folded);
        orgIds.set(folded, `dry-run:${folded}`);
      }
    } else {
      const created = await insertOrganizations(
        tx,
        ctx.workspaceId,
        missing.map(([, name]) => name),
      );
      for (const row of created) orgIds.set(row.sort_name, row.id);
      result.organizationsCreated = created.length;
    }
    for (const { draft, validated } of valid) {
      const name = cleanText(draft.organizationName);
      if (name && !validated.state.organizationId)
        validated.state.organizationId = orgIds.get(foldForSearch(name)) ?? null;
    }

    const keysOf = valid.map(({ validated }) => matchKeys(validated.state));
    const existing =
      ctx.onMatch === 'create'
        ? []
        : await findMatches(tx, ctx.workspaceId, {
            emails: keysOf.flatMap((keys) => keys.emails),
            phones: keysOf.flatMap((keys) => keys.phones),
            names: keysOf.flatMap((keys) => (keys.name ? [keys.name.split('|')[0]!] : [])),
          });
    const byKey = new Map<string, Pending>();
    const remember = (pending: Pending) => {
      const keys = matchKeys(pending.state);
      for (const key of [...keys.emails.map((k) => `e:${k}`), ...keys.phones.map((k) => `p:${k}`)])
        if (!byKey.has(key)) byKey.set(key, pending);
      if (keys.name && !byKey.has(`n:${keys.name}`)) byKey.set(`n:${keys.name}`, pending);
    };
    for (const row of existing) {
      const state = stateOf(row);
      remember({ id: row.id, state, before: state });
    }
    const writes = new Map<string, Pending>();
    valid.forEach(({ draft, validated }, index) => {
      const keys = keysOf[index]!;
      const lookups = [
        ...keys.emails.map((k) => `e:${k}`),
        ...keys.phones.map((k) => `p:${k}`),
        ...(keys.name ? [`n:${keys.name}`] : []),
      ];
      const matchedKey = ctx.onMatch === 'create' ? undefined : lookups.find((key) => byKey.has(key));
      const match = matchedKey ? byKey.get(matchedKey) : undefined;
      const seenInDryRun =
        ctx.dryRun && ctx.onMatch !== 'create' ? lookups.find((key) => ctx.dryRunKeys.has(key)) : undefined;
      const skip = (message: string) => {
        result.skipped++;
        ctx.skipNotices++;
        if (ctx.skipNotices < maxSkipNotices) problems.push({ row: draft.row, severity: 'warning', message });
        else if (ctx.skipNotices === maxSkipNotices)
          problems.push({
            row: draft.row,
            severity: 'warning',
            message: `Skipped. From this row on, skipped rows are counted, not listed (the first ${maxSkipNotices - 1} are).`,
          });
      };
      if (!match && !seenInDryRun) {
        const pending = { id: newId(), state: validated.state, before: null, row: draft.row };
        writes.set(pending.id, pending);
        remember(pending);
        if (ctx.dryRun) for (const key of lookups) ctx.dryRunKeys.add(key);
        result.created++;
        return;
      }
      if (!match) {
        // Dry run: an earlier row of the file would have created this person.
        if (ctx.onMatch === 'update') result.updated++;
        else skip(skippedBecause(seenInDryRun!, null));
        return;
      }
      if (ctx.onMatch === 'skip') {
        skip(skippedBecause(matchedKey!, match));
        return;
      }
      try {
        const next = applyPersonInput(
          match.state,
          mergeInput(match.state, validated.input, ctx.region),
          ctx.region,
        );
        next.organizationId = validated.state.organizationId ?? next.organizationId;
        if (JSON.stringify(personColumns(next)) === JSON.stringify(personColumns(match.state))) {
          skip(
            `Skipped: ${displayNameOf(match.state) ?? 'the matching person'} already has everything this row holds.`,
          );
          return;
        }
        result.updated++;
        match.state = next;
        writes.set(match.id, match);
        remember(match);
      } catch (error) {
        result.failed++;
        const errors = (error as { details?: { errors?: { path: string; message: string }[] } }).details
          ?.errors;
        const message = errors ? rowProblemText(errors) : undefined;
        problems.push({
          row: draft.row,
          severity: 'error',
          message: `cannot update the matching person: ${message ?? String(error)}`,
        });
      }
    });

    const records: PersonRecord[] = [];
    for (const pending of writes.values())
      records.push(personRecord(pending.id, ctx.workspaceId, pending.state));
    if (!ctx.dryRun) await upsertPeople(tx, records);
    await recordProgress(tx, ctx, drafts.at(-1)?.row ?? 0, result, problems, bytesRead);
    if (!ctx.dryRun && (records.length > 0 || result.organizationsCreated > 0)) {
      await audit(tx, ctx.audit, {
        action: 'import.batch',
        entity: 'import',
        entityId: ctx.importId,
        after: {
          fromRow: drafts[0]?.row ?? null,
          toRow: drafts.at(-1)?.row ?? null,
          ...result,
          createdIds: [...writes.values()].filter((p) => p.before === null).map((p) => p.id),
          updatedIds: [...writes.values()].filter((p) => p.before !== null).map((p) => p.id),
        },
      });
    }
  };
  await ctx.db.transaction().execute(write);
  return result;
}

async function recordProgress(
  tx: Queryable,
  ctx: BatchContext,
  lastRow: number,
  result: BatchResult,
  problems: Problem[],
  bytesRead: number,
) {
  await tx
    .updateTable('imports')
    .set({
      processed: sql`processed + ${result.processed}`,
      created: sql`created + ${result.created}`,
      updated: sql`updated + ${result.updated}`,
      skipped: sql`skipped + ${result.skipped}`,
      failed: sql`failed + ${result.failed}`,
      warnings: sql`warnings + ${result.warnings}`,
      organizations_created: sql`organizations_created + ${result.organizationsCreated}`,
      committed_row: lastRow,
      bytes_read: bytesRead,
    })
    .where('id', '=', ctx.importId)
    .where('workspace_id', '=', ctx.workspaceId)
    .execute();
  if (problems.length > 0) {
    await tx
      .insertInto('import_errors')
      .values(
        problems.map((problem) => ({
          import_id: ctx.importId,
          workspace_id: ctx.workspaceId,
          row: problem.row,
          severity: problem.severity,
          message: problem.message.slice(0, 2000),
        })),
      )
      .execute();
  }
}
