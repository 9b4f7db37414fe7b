import { audit } from '../../../platform/audit.ts';
import type { CustomerAuth } from '../../../platform/auth/portal-sessions.ts';
import { customerAuditContext, type RequestContext } from '../../../platform/http/context.ts';
import { emailKey } from '../../../shared/people.ts';
import type { MyContact, PortalMeUpdateInput } from '../../../shared/portal-me.ts';
import { applyPersonInput, personColumns, unprocessable } from '../../people/normalize.ts';
import { staleVersion } from '../../people/precondition.ts';
import { findPerson, stateOf, updatePersonRow, workspaceRegion } from '../../people/queries.ts';
import { ensurePerson, limitSubmissions } from '../customer.ts';
import { contactOf, findMyPersonRow, personOutput } from './person.ts';

/**
 * The customer corrects their own details: applied at once, in one transaction, through the
 * same normalisation and derived (search) columns as a staff edit, audited as the customer.
 * A customer without a record gets one first.
 */
export async function updateMyDetails(
  ctx: RequestContext,
  customer: CustomerAuth,
  input: PortalMeUpdateInput,
): Promise<MyContact> {
  const { version, ...fields } = input;
  return ctx.deps.db.transaction().execute(async (tx) => {
    await limitSubmissions(tx, ctx, customer);
    // The row lock makes a concurrent save wait, then see the new version and get its 409.
    let row = await findMyPersonRow(tx, customer, true);
    if (!row) {
      // No live record: one their session names was deleted by staff (it stays erasable; see
      // requestErasure), so saving details starts a new record rather than writing to it.
      customer.personId = null;
      const personId = await ensurePerson(tx, ctx, customer);
      row = await findPerson(tx, customer.workspaceId, personId, true);
      if (!row) throw new Error('ensurePerson returned a person that cannot be read');
    } else if (version !== undefined && row.version !== version) {
      throw staleVersion('your details', version, row.version);
    }
    if (customer.personId !== row.id) {
      // Found by email: link this customer's sessions to the record.
      customer.personId = null;
      await ensurePerson(tx, ctx, customer);
    }
    const before = personOutput(row);
    const region = await workspaceRegion(tx, customer.workspaceId);
    const state = applyPersonInput(stateOf(row), fields, region);
    // Their sign-in address stays on the record: without it the next sign-in would not find it.
    if (!state.emails.some((email) => emailKey(email.value) === customer.email)) {
      throw unprocessable([
        {
          path: 'body.emails',
          message: `must keep ${customer.email}, the address you sign in with.`,
        },
      ]);
    }
    // Saving the form unchanged writes nothing: no new version, no audit row, no "changed" mark.
    if (JSON.stringify(personColumns(state)) === JSON.stringify(personColumns(stateOf(row)))) {
      return contactOf(before);
    }
    const updated = await updatePersonRow(tx, customer.workspaceId, row.id, {
      ...personColumns(state),
      updated_at: new Date(),
    });
    const after = personOutput(updated);
    await audit(tx, customerAuditContext(ctx, customer, row.id), {
      action: 'person.updated',
      entity: 'person',
      entityId: row.id,
      before,
      after,
    });
    return contactOf(after);
  });
}
