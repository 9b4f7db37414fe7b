import type { Tx } from '../../platform/db/database.ts';
import type { Auth, RequestContext } from '../../platform/http/context.ts';
import { type informHows, itemKindLabels } from '../../shared/listening.ts';
import { unprocessable } from '../people/normalize.ts';
import { fillTemplate, templateFor } from '../templates/render.ts';
import { requireNotClosed, runItemAction } from './action.ts';
import { customersOf } from './customers.ts';
import type { ItemRow } from './schema.ts';
import { sendToCustomer } from './send.ts';

type How = (typeof informHows)[number];

async function workspaceName(tx: Tx, workspaceId: string) {
  const row = await tx
    .selectFrom('workspaces')
    .select('name')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return row?.name ?? '';
}

/**
 * Writes to every customer of the item (and of the items merged into it) who has an email:
 * one message each, personalised with {{name}}. 422 when nobody can be written to.
 */
async function writeToCustomers(
  scope: { ctx: RequestContext; auth: Auth; tx: Tx; row: ItemRow },
  message: { subject: string; body: string; path: string },
) {
  const { ctx, auth, tx, row } = scope;
  const customers = (await customersOf(tx, auth.workspaceId, [row.id])).filter((customer) => customer.email);
  if (customers.length === 0) {
    throw unprocessable([
      {
        path: message.path,
        message:
          'No email address is known for the customer: tell them another way and record it (how: phone, in_person, letter…).',
      },
    ]);
  }
  const workspace = await workspaceName(tx, auth.workspaceId);
  const sent: string[] = [];
  for (const customer of customers) {
    const variables = {
      name: customer.name ?? customer.email!,
      subject: row.subject,
      ref: String(row.ref),
      workspace,
      resolution: row.resolution ?? '',
    };
    await sendToCustomer(tx, ctx.deps.config, {
      workspaceId: auth.workspaceId,
      itemId: row.id,
      replyToken: row.reply_token,
      to: customer.email!,
      personId: customer.personId,
      subject: fillTemplate(message.subject, variables),
      body: fillTemplate(message.body, variables),
      authorUserId: auth.userId,
    });
    sent.push(customer.email!);
  }
  return sent;
}

/**
 * Records that the customer was told the outcome. With how=email and send=true the summary is
 * mailed to every customer (merged items' too); otherwise the feedback given another way (or an
 * email written elsewhere) is recorded.
 */
export function informCustomer(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: { how: How; summary: string; send: boolean },
  version?: number,
) {
  return runItemAction(ctx, auth, id, version, async ({ tx, row, now }) => {
    requireNotClosed(row, 'inform the customer');
    if (input.send && input.how !== 'email') {
      throw unprocessable([
        { path: 'body.send', message: 'only email can be sent; use how=email, or send=false.' },
      ]);
    }
    const sentTo = input.send
      ? await writeToCustomers(
          { ctx, auth, tx, row },
          { subject: 'Re: {{subject}} [#{{ref}}]', body: input.summary, path: 'body.send' },
        )
      : [];
    return {
      changes: { informed_at: now },
      event: { type: 'informed', data: { how: input.how, summary: input.summary, sentTo } },
      auditAction: 'item.informed',
      auditData: { how: input.how, sentTo },
    };
  });
}

/**
 * Records the thank-you. With how=email it is sent to every customer: the personal body when
 * given (placeholders allowed), else the workspace's thank_you template for the kind.
 */
export function thankCustomer(
  ctx: RequestContext,
  auth: Auth,
  id: string,
  input: { how: How; body?: string | undefined },
  version?: number,
) {
  return runItemAction(ctx, auth, id, version, async ({ tx, row, now }) => {
    requireNotClosed(row, 'thank the customer');
    let sentTo: string[] = [];
    if (input.how === 'email') {
      const template = await templateFor(tx, auth.workspaceId, 'thank_you', row.kind);
      if (!input.body && !template.enabled) {
        throw unprocessable([
          {
            path: 'body.body',
            message: `the thank-you template for ${itemKindLabels[row.kind].toLowerCase()} items is disabled: write the thank-you.`,
          },
        ]);
      }
      sentTo = await writeToCustomers(
        { ctx, auth, tx, row },
        { subject: template.subject, body: input.body ?? template.body, path: 'body.how' },
      );
    }
    return {
      changes: { thanked_at: now },
      event: {
        type: 'thanked',
        data: { how: input.how, ...(input.body ? { body: input.body } : {}), sentTo },
      },
      auditAction: 'item.thanked',
      auditData: { how: input.how, sentTo },
    };
  });
}
