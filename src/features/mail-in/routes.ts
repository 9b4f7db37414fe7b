import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams, page, pageQuery, uuid } from '../../shared/common.ts';
import {
  inboundAddressInput,
  inboundAddressSettings,
  inboundMailEntry,
  inboundMailQuery,
  itemMessage,
  messageHtmlQuery,
} from '../../shared/conversation.ts';
import { replyInput } from '../../shared/listening.ts';
import { attachmentDisposition, downloadContentType, safeFilename } from './attachments.ts';
import { hiddenImageClass, withoutRemoteImages } from './content.ts';
import { getInboundAddress, setInboundAddress } from './inbound-address.ts';
import { listInboundMail, rawInboundMail } from './inbound-log.ts';
import { listItemMessages, requireItem } from './messages.ts';
import { replyToCustomer } from './reply.ts';

const tag = 'items';
const messageParams = z.strictObject({ id: uuid, messageId: uuid });
const attachmentParams = z.strictObject({ id: uuid, attachmentId: uuid });

/** The page showing a mail: nothing may run or load, unless the reader asked for remote images. */
const mailCsp = (images: boolean) =>
  `default-src 'none'; style-src 'unsafe-inline'; img-src data:${images ? ' https:' : ''}; ` +
  "frame-ancestors 'self'; sandbox";

/** Makes the placeholders of hidden images visible as such (inline styles are all the CSP allows). */
const mailPageStyle =
  `<style>.${hiddenImageClass}{display:inline-block;margin:1px;padding:0 4px;border:1px dashed #999;` +
  'border-radius:3px;color:#555;background:#f4f4f4;font:12px/1.5 system-ui,sans-serif}</style>';

export const conversationRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/items/:id/reply',
    permission: 'items.write',
    tag,
    summary: 'Email the customer of an item (threaded; their answer comes back into the item)',
    description:
      "Sent through the outbox with Reply-To reply+<token>@<domain> and In-Reply-To the customer's last mail. " +
      'The subject defaults to "Re: <subject> [#ref]". The first reply sets firstRespondedAt; the status becomes ' +
      'waiting_on_customer when asked, else in_progress (from new, acknowledged or reopened). 409 when no email ' +
      'is known for the customer: record the feedback with /inform instead.',
    params: idParams,
    body: replyInput,
    status: 201,
    response: itemMessage,
    handler: async ({ params, body, ctx }) => replyToCustomer(ctx, requireAuth(ctx), params.id, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/items/:id/messages',
    permission: 'items.read',
    tag,
    summary: 'The conversation of an item, oldest first: mails out and in, and internal notes',
    description: 'Outbound messages carry their delivery status and the last delivery error.',
    params: idParams,
    query: pageQuery,
    response: page(itemMessage),
    handler: async ({ params, query, ctx }) =>
      listItemMessages(ctx.deps.db, requireAuth(ctx).workspaceId, params.id, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/items/:id/messages/:messageId/html',
    permission: 'items.read',
    tag,
    summary: "The sanitised HTML of a customer's mail, to show in a sandboxed frame",
    description:
      'Scripts, styles, forms and event handlers were removed on receipt. Remote images are removed too ' +
      'unless `images=1`. Served with a CSP that allows no scripts and a sandbox.',
    params: messageParams,
    query: messageHtmlQuery,
    handler: async ({ params, query, ctx, reply }) => {
      const auth = requireAuth(ctx);
      await requireItem(ctx.deps.db, auth.workspaceId, params.id);
      const message = await ctx.deps.db
        .selectFrom('item_messages')
        .select('body_html')
        .where('workspace_id', '=', auth.workspaceId)
        .where('item_id', '=', params.id)
        .where('id', '=', params.messageId)
        .executeTakeFirst();
      if (!message) throw notFound('The message');
      if (message.body_html === null) throw notFound('An HTML version of this message');
      const images = query.images === '1';
      reply
        .type('text/html; charset=utf-8')
        .header('Content-Security-Policy', mailCsp(images))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Referrer-Policy', 'no-referrer');
      const body = images ? message.body_html : withoutRemoteImages(message.body_html);
      return `<!doctype html><html><head><meta charset="utf-8"><base target="_blank">${mailPageStyle}</head><body>${body}</body></html>`;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/items/:id/attachments/:attachmentId',
    permission: 'items.read',
    tag,
    summary: 'Download an attachment of an item (always as a download, never rendered in place)',
    params: attachmentParams,
    handler: async ({ params, ctx, reply }) => {
      const auth = requireAuth(ctx);
      const attachment = await ctx.deps.db
        .selectFrom('item_attachments')
        .select(['filename', 'content_type', 'data'])
        .where('workspace_id', '=', auth.workspaceId)
        .where('item_id', '=', params.id)
        .where('id', '=', params.attachmentId)
        .executeTakeFirst();
      if (!attachment) throw notFound('The attachment');
      reply
        .type(downloadContentType(attachment.content_type))
        .header('Content-Disposition', attachmentDisposition(safeFilename(attachment.filename)))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "default-src 'none'; sandbox");
      return Buffer.from(attachment.data);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/inbound-address',
    permission: 'workspace.manage',
    tag: 'workspace',
    summary: 'The address whose new mail becomes items of this workspace',
    response: inboundAddressSettings,
    handler: async ({ ctx }) => getInboundAddress(ctx, requireAuth(ctx)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/inbound-address',
    permission: 'workspace.manage',
    tag: 'workspace',
    summary: 'Set the address whose new mail becomes items (null: none)',
    description:
      'Point the MX record of its domain (or a forward) at the SMTP receiver (INBOUND_SMTP_PORT). ' +
      'Mail to it from people becomes items; answers to reply addresses are threaded into their items.',
    body: inboundAddressInput,
    response: inboundAddressSettings,
    handler: async ({ body, ctx }) => setInboundAddress(ctx, requireAuth(ctx), body.address),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/inbound-mail',
    permission: 'outbox.read',
    tag: 'admin',
    summary: 'Mail the SMTP receiver took for this workspace, newest first, with what became of it',
    description:
      'status=failed lists what needs attention (the reason says why); ignored covers bounces, auto-replies ' +
      'and duplicates. A message whose job ran out of attempts stays received: retry its job.',
    query: inboundMailQuery,
    response: page(inboundMailEntry),
    handler: async ({ query, ctx }) => listInboundMail(ctx.deps.db, requireAuth(ctx).workspaceId, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/inbound-mail/:id/raw',
    permission: 'outbox.read',
    tag: 'admin',
    summary: 'Download a received mail exactly as it arrived (.eml)',
    params: idParams,
    handler: async ({ params, ctx, reply }) => {
      const raw = await rawInboundMail(ctx.deps.db, requireAuth(ctx).workspaceId, params.id);
      reply
        .type('application/octet-stream')
        .header('Content-Disposition', attachmentDisposition(`mail-${params.id}.eml`))
        .header('X-Content-Type-Options', 'nosniff');
      return raw;
    },
  }),
];
