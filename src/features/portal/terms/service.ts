import { audit } from '../../../platform/audit.ts';
import type { CustomerAuth } from '../../../platform/auth/portal-sessions.ts';
import { publicUrl } from '../../../platform/config.ts';
import { AppError } from '../../../platform/errors.ts';
import { customerAuditContext, nowOf, type RequestContext } from '../../../platform/http/context.ts';
import { newId } from '../../../platform/ids.ts';
import { defaultTerms, type TermsRecord } from '../../../shared/portal.ts';
import type { PutTermsInput, TermsAgreement, TermsVersion } from '../../../shared/portal-terms.ts';
import { ensurePerson, findPersonByEmail, limitSubmissions } from '../customer.ts';
import { resolvePortal } from '../site.ts';
import { buildAgreement } from './agreement.ts';
import { currentTerms, termsVersions } from './queries.ts';

const noTerms: TermsRecord = { version: 0, terms: defaultTerms, setBy: null, setAt: null };

/** The customer's person id without creating a record (reading never creates one). */
async function personIdOf(ctx: RequestContext, customer: CustomerAuth): Promise<string | null> {
  if (customer.personId) return customer.personId;
  return (await findPersonByEmail(ctx.deps.db, customer.workspaceId, customer.email))?.id ?? null;
}

export async function getMyTerms(ctx: RequestContext, customer: CustomerAuth): Promise<TermsRecord> {
  const personId = await personIdOf(ctx, customer);
  return personId ? currentTerms(ctx.deps.db, customer.workspaceId, personId) : noTerms;
}

export async function getMyTermsHistory(
  ctx: RequestContext,
  customer: CustomerAuth,
): Promise<TermsVersion[]> {
  const personId = await personIdOf(ctx, customer);
  return personId ? termsVersions(ctx.deps.db, customer.workspaceId, personId) : [];
}

const changedSince = (version: number) =>
  new AppError(
    'conflict',
    `Your terms were changed since you read them (they are now at version ${version}). Reload them, check, and save again.`,
  );

/**
 * Sets the customer's terms: a new version (the newest is in force), audited as theirs. Creates
 * their person record when they have none yet. With `version`, refuses (409) when the terms
 * moved on since that version was read.
 */
export async function setMyTerms(
  ctx: RequestContext,
  customer: CustomerAuth,
  input: PutTermsInput,
): Promise<TermsRecord> {
  await limitSubmissions(ctx.deps.db, ctx, customer);
  const now = nowOf(ctx.deps);
  return ctx.deps.db.transaction().execute(async (tx) => {
    const personId = await ensurePerson(tx, ctx, customer);
    // One writer at a time per person: versions are numbered without gaps or races.
    await tx
      .selectFrom('people')
      .select('id')
      .where('workspace_id', '=', customer.workspaceId)
      .where('id', '=', personId)
      .forUpdate()
      .execute();
    const before = await currentTerms(tx, customer.workspaceId, personId);
    if (input.version !== undefined && input.version !== before.version) throw changedSince(before.version);
    const version = before.version + 1;
    await tx
      .insertInto('person_terms')
      .values({
        id: newId(),
        workspace_id: customer.workspaceId,
        person_id: personId,
        version,
        terms: JSON.stringify(input.terms),
        set_by: 'customer',
        created_at: now,
      })
      .execute()
      .catch((error: { code?: string }) => {
        throw error.code === '23505' ? changedSince(version) : error;
      });
    await audit(tx, customerAuditContext(ctx, customer, personId), {
      action: 'person.terms_set',
      entity: 'person',
      entityId: personId,
      before: { version: before.version, terms: before.terms },
      after: { version, terms: input.terms },
    });
    return { version, terms: input.terms, setBy: 'customer' as const, setAt: now.toISOString() };
  });
}

/** The machine-readable agreement: current terms, parties, history and digest. */
export async function myTermsAgreement(ctx: RequestContext, customer: CustomerAuth): Promise<TermsAgreement> {
  const portal = await resolvePortal(ctx, undefined);
  const personId = await personIdOf(ctx, customer);
  const [current, history] = personId
    ? await Promise.all([
        currentTerms(ctx.deps.db, customer.workspaceId, personId),
        termsVersions(ctx.deps.db, customer.workspaceId, personId),
      ])
    : [noTerms, []];
  return buildAgreement({
    person: { id: personId, email: customer.email },
    company: {
      name: portal.name,
      portalUrl: `${publicUrl(ctx.deps.config, ctx.origin)}/portal/${portal.slug}`,
    },
    current,
    history,
    now: nowOf(ctx.deps),
  });
}
