import { createHash } from 'node:crypto';
import { audit } from '../../../platform/audit.ts';
import type { CustomerAuth } from '../../../platform/auth/portal-sessions.ts';
import { publicUrl } from '../../../platform/config.ts';
import type { Queryable, Tx } from '../../../platform/db/database.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import {
  type Auth,
  auditContext,
  customerAuditContext,
  nowOf,
  type RequestContext,
} from '../../../platform/http/context.ts';
import { checkCursor, toPage } from '../../../platform/http/pagination.ts';
import { newId } from '../../../platform/ids.ts';
import { queueMail } from '../../../platform/mail/outbox.ts';
import type {
  CustomerErasureRequest,
  ErasureListQuery,
  ErasureRequestRow,
} from '../../../shared/portal-erasure.ts';
import { findPersonByEmail } from '../customer.ts';
import { loadPortalWorkspaceById, resolvePortal } from '../site.ts';
import { addressesByHash, anonymisePerson } from './anonymise.ts';

/** sha256 of the lower-cased email: proves who asked without keeping the address. */
export const emailHashOf = (email: string) => createHash('sha256').update(email.toLowerCase()).digest('hex');

const longDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
const dayMs = 86_400_000;

type RequestRow = {
  id: string;
  status: CustomerErasureRequest['status'];
  requested_at: Date;
  due_at: Date;
  decided_at: Date | null;
  decision_note: string | null;
  completed_at: Date | null;
};

const toCustomerRequest = (row: RequestRow): CustomerErasureRequest => ({
  id: row.id,
  status: row.status,
  requestedAt: row.requested_at.toISOString(),
  dueAt: row.due_at.toISOString(),
  decidedAt: row.decided_at?.toISOString() ?? null,
  decisionNote: row.status === 'rejected' ? row.decision_note : null,
  completedAt: row.completed_at?.toISOString() ?? null,
});

const customerColumns = [
  'id',
  'status',
  'requested_at',
  'due_at',
  'decided_at',
  'decision_note',
  'completed_at',
] as const;

function openRequestOf(db: Queryable, workspaceId: string, personId: string) {
  return db
    .selectFrom('erasure_requests')
    .select(customerColumns)
    .where('workspace_id', '=', workspaceId)
    .where('person_id', '=', personId)
    .where('status', 'in', ['requested', 'approved'])
    .executeTakeFirst();
}

const alreadyAsked = (open: RequestRow | undefined) =>
  new AppError(
    'conflict',
    open
      ? `You already asked for erasure on ${longDate.format(open.requested_at)} (request ${open.id}); ` +
          `we will do it by ${longDate.format(open.due_at)}.`
      : 'You already have an open erasure request.',
  );

/**
 * A customer asks to be erased. Only someone the company holds a record about can ask; one
 * open request at a time (the unique index settles two concurrent asks). Admins are told by
 * email, without the customer's name (the mail outlives the erasure).
 */
export async function requestErasure(
  ctx: RequestContext,
  customer: CustomerAuth,
  reason: string | undefined,
): Promise<CustomerErasureRequest> {
  const portal = await resolvePortal(ctx, undefined);
  const db = ctx.deps.db;
  const personId =
    customer.personId ?? (await findPersonByEmail(db, customer.workspaceId, customer.email))?.id ?? null;
  if (!personId) {
    throw new AppError(
      'conflict',
      'We hold nothing about you beyond your sign-in email, so there is nothing to erase. ' +
        'Signing out is enough; unused sign-in links expire on their own.',
    );
  }
  const now = nowOf(ctx.deps);
  const dueAt = new Date(now.getTime() + portal.site.erasureDays * dayMs);
  try {
    return await db.transaction().execute(async (tx) => {
      const open = await openRequestOf(tx, customer.workspaceId, personId);
      if (open) throw alreadyAsked(open);
      const row = await tx
        .insertInto('erasure_requests')
        .values({
          id: newId(),
          workspace_id: customer.workspaceId,
          person_id: personId,
          email_hash: emailHashOf(customer.email),
          reason: reason ?? null,
          status: 'requested',
          requested_at: now,
          due_at: dueAt,
        })
        .returning(customerColumns)
        .executeTakeFirstOrThrow();
      await audit(tx, customerAuditContext(ctx, customer, personId), {
        action: 'erasure.requested',
        entity: 'erasure_request',
        entityId: row.id,
        after: { status: 'requested', dueAt: dueAt.toISOString() },
      });
      await tellAdmins(tx, ctx, customer.workspaceId, row.id, dueAt);
      return toCustomerRequest(row);
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw alreadyAsked(await openRequestOf(db, customer.workspaceId, personId));
    }
    throw error;
  }
}

async function tellAdmins(tx: Tx, ctx: RequestContext, workspaceId: string, requestId: string, dueAt: Date) {
  const admins = await tx
    .selectFrom('users')
    .select('email')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .execute();
  const link = `${publicUrl(ctx.deps.config, ctx.origin)}/portal-admin/erasure`;
  for (const admin of admins) {
    await queueMail(tx, {
      workspaceId,
      to: admin.email,
      subject: `Erasure request: decide by ${longDate.format(dueAt)}`,
      text:
        `A customer asked through the portal to have their personal data erased (request ${requestId}).\n\n` +
        `Approve or reject it by ${longDate.format(dueAt)}: ${link}\n`,
      entity: 'erasure_request',
      entityId: requestId,
    });
  }
}

/** The signed-in customer's requests (by their email's hash, so they remain visible after the erasure). */
export async function listOwnRequests(
  customer: CustomerAuth,
  db: Queryable,
): Promise<CustomerErasureRequest[]> {
  const rows = await db
    .selectFrom('erasure_requests')
    .select(customerColumns)
    .where('workspace_id', '=', customer.workspaceId)
    .where((eb) =>
      eb.or([
        eb('email_hash', '=', emailHashOf(customer.email)),
        ...(customer.personId ? [eb('person_id', '=', customer.personId)] : []),
      ]),
    )
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return rows.map(toCustomerRequest);
}

function requestRows(db: Queryable, workspaceId: string) {
  return db
    .selectFrom('erasure_requests as r')
    .leftJoin('people as p', 'p.id', 'r.person_id')
    .select([
      'r.id',
      'r.person_id',
      'p.display_name',
      'r.status',
      'r.reason',
      'r.requested_at',
      'r.due_at',
      'r.decided_by',
      'r.decided_at',
      'r.decision_note',
      'r.completed_at',
    ])
    .where('r.workspace_id', '=', workspaceId);
}

type StaffRow = Awaited<ReturnType<ReturnType<typeof requestRows>['execute']>>[number];

const toStaffRow =
  (now: Date) =>
  (row: StaffRow): ErasureRequestRow => ({
    id: row.id,
    personId: row.person_id,
    personName: row.status === 'done' ? null : (row.display_name ?? null),
    status: row.status,
    reason: row.reason,
    requestedAt: row.requested_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    overdue: (row.status === 'requested' || row.status === 'approved') && row.due_at < now,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    completedAt: row.completed_at?.toISOString() ?? null,
  });

/** Staff: erasure requests, newest first, with the person's name until they are erased. */
export async function listRequests(ctx: RequestContext, auth: Auth, query: ErasureListQuery) {
  const after = checkCursor(query.after);
  const limit = query.limit;
  let select = requestRows(ctx.deps.db, auth.workspaceId)
    .orderBy('r.id', 'desc')
    .limit(limit + 1);
  if (query.status) select = select.where('r.status', '=', query.status);
  if (after) select = select.where('r.id', '<', after);
  return toPage(await select.execute(), limit, toStaffRow(nowOf(ctx.deps)));
}

export async function getRequest(ctx: RequestContext, auth: Auth, id: string): Promise<ErasureRequestRow> {
  const row = await requestRows(ctx.deps.db, auth.workspaceId).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The erasure request');
  return toStaffRow(nowOf(ctx.deps))(row);
}

/** The request, locked, in the admin's workspace (another workspace's id is not found). */
async function lockOpenRequest(tx: Tx, workspaceId: string, id: string) {
  const row = await tx
    .selectFrom('erasure_requests')
    .select(['id', 'person_id', 'email_hash', 'status', 'requested_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('The erasure request');
  if (row.status !== 'requested') {
    throw new AppError('conflict', `This erasure request was already decided: it is ${row.status}.`);
  }
  return row;
}

/**
 * Where to tell the customer: the address they asked from (found by its hash among the
 * person's emails, sign-in links, portal sessions and the outbox), else their primary email.
 */
async function customerAddress(tx: Tx, workspaceId: string, personId: string | null, emailHash: string) {
  const person = personId
    ? await tx
        .selectFrom('people')
        .select('emails')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', personId)
        .executeTakeFirst()
    : undefined;
  const emails = ((person?.emails ?? []) as { value: string; primary?: boolean }[]).map((e) => ({
    value: e.value.toLowerCase(),
    primary: e.primary ?? false,
  }));
  const candidates = [...emails.map((e) => e.value), ...(await addressesByHash(tx, workspaceId, emailHash))];
  return (
    candidates.find((email) => emailHashOf(email) === emailHash) ??
    emails.find((e) => e.primary)?.value ??
    emails[0]?.value ??
    null
  );
}

/**
 * Approves and runs the erasure in one transaction: the "done" notice is queued first (to the
 * address captured before the erasure; the sweep leaves exactly that address alone), the
 * request is marked done, then the person is anonymised everywhere. The audit entry names
 * the request, never the person.
 */
export async function approveErasure(ctx: RequestContext, auth: Auth, id: string, note: string | undefined) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const request = await lockOpenRequest(tx, auth.workspaceId, id);
    const now = nowOf(ctx.deps);
    const portal = await loadPortalWorkspaceById(tx, auth.workspaceId);
    const address = await customerAddress(tx, auth.workspaceId, request.person_id, request.email_hash);
    const noticeId = address
      ? await queueMail(tx, {
          workspaceId: auth.workspaceId,
          to: address,
          subject: `${portal?.site.title ?? 'Your data'}: your personal data has been erased`,
          text:
            `Hello,\n\nOn ${longDate.format(request.requested_at)} you asked us to erase your personal data. ` +
            'This is done: your name, addresses, phone numbers and what you wrote to us have been removed ' +
            'from our records. We keep a record that you asked and when it was done, without your name or ' +
            'address, as proof.\n\nThis is the last message we send to this address.\n',
          entity: 'erasure_request',
          entityId: id,
        })
      : null;
    await tx
      .updateTable('erasure_requests')
      .set({
        status: 'done',
        decided_by: auth.userId,
        decided_at: now,
        decision_note: note ?? null,
        completed_at: now,
      })
      .where('id', '=', id)
      .execute();
    const outcome = await anonymisePerson(
      tx,
      auth.workspaceId,
      request.person_id,
      request.email_hash,
      noticeId ? { table: 'outbox', column: 'to_address', id: noticeId } : null,
    );
    await audit(tx, auditContext(ctx), {
      action: 'erasure.done',
      entity: 'erasure_request',
      entityId: id,
      before: { status: 'requested' },
      after: {
        status: 'done',
        people: outcome.people,
        items: outcome.items,
        noticeOutboxId: noticeId,
        sweptTables: Object.keys(outcome.sweep.changed).length,
      },
    });
  });
  return getRequest(ctx, auth, id);
}

/** Rejects a request; the note says why and is sent to the customer. */
export async function rejectErasure(ctx: RequestContext, auth: Auth, id: string, note: string) {
  await ctx.deps.db.transaction().execute(async (tx) => {
    const request = await lockOpenRequest(tx, auth.workspaceId, id);
    const now = nowOf(ctx.deps);
    await tx
      .updateTable('erasure_requests')
      .set({ status: 'rejected', decided_by: auth.userId, decided_at: now, decision_note: note })
      .where('id', '=', id)
      .execute();
    const address = await customerAddress(tx, auth.workspaceId, request.person_id, request.email_hash);
    if (address) {
      const portal = await loadPortalWorkspaceById(tx, auth.workspaceId);
      await queueMail(tx, {
        workspaceId: auth.workspaceId,
        to: address,
        subject: `${portal?.site.title ?? 'Your request'}: we cannot erase your data yet`,
        text:
          `Hello,\n\nOn ${longDate.format(request.requested_at)} you asked us to erase your personal data. ` +
          `We cannot do it now, for this reason:\n\n${note}\n\n` +
          'You can ask again in the portal, under My data, once this no longer applies.\n',
        entity: 'erasure_request',
        entityId: id,
      });
    }
    await audit(tx, auditContext(ctx), {
      action: 'erasure.rejected',
      entity: 'erasure_request',
      entityId: id,
      before: { status: 'requested' },
      after: { status: 'rejected' },
    });
  });
  return getRequest(ctx, auth, id);
}
