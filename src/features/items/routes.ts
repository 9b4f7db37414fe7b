import { z } from 'zod';
import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams, page, uuid } from '../../shared/common.ts';
import {
  assignInput,
  bulkItemsInput,
  closeInput,
  createItemInput,
  escalateInput,
  informInput,
  item,
  itemEvent,
  itemEventsQuery,
  listItemsQuery,
  noteInput,
  reopenInput,
  resolveInput,
  thankInput,
  updateItemInput,
} from '../../shared/listening.ts';
import { requestedVersion, setEtag } from '../people/precondition.ts';
import { bulkItems } from './bulk.ts';
import { informCustomer, thankCustomer } from './feedback.ts';
import { assignItem, closeItem, escalateItemByHand, reopenItem, resolveItem, takeItem } from './lifecycle.ts';
import { addNote } from './notes.ts';
import { createItem, getItem, itemEventsPage, listItemsPage, updateItem } from './service.ts';

const tag = 'items';

/** An action on one item: POST /api/v1/items/:id/<name>, answering with the item and its ETag. */
function action<B extends z.ZodType>(spec: {
  name: string;
  summary: string;
  description?: string;
  permission?: 'items.write' | 'items.assign';
  body?: B;
  run: (input: {
    ctx: Parameters<Route['handler']>[0]['ctx'];
    id: string;
    body: z.output<B>;
    version?: number;
  }) => Promise<{ version: number }>;
}): Route {
  return defineRoute({
    method: 'POST',
    url: `/api/v1/items/:id/${spec.name}`,
    permission: spec.permission ?? 'items.write',
    tag,
    summary: spec.summary,
    description: `${spec.description ? `${spec.description} ` : ''}An If-Match header makes it act only on the version you read (409 otherwise).`,
    params: idParams,
    ...(spec.body ? { body: spec.body } : {}),
    response: item,
    handler: async ({ params, body, ctx, request, reply }) => {
      const version = requestedVersion(request, undefined, false);
      const result = await spec.run({
        ctx,
        id: params.id,
        body: body as z.output<B>,
        ...(version ? { version } : {}),
      });
      setEtag(reply, result.version);
      return result;
    },
  });
}

const bulkResult = z.object({ changed: z.number().int(), ids: z.array(uuid) });

export const itemRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/items',
    permission: 'items.read',
    tag,
    summary: 'Items of a queue (all, open, unowned, mine, team, breaching_soon, …), filtered, newest first',
    description:
      'breaching_soon: open, not paused, a due time within the warning window (business hours ' +
      'warnBeforeMinutes, default 60). recently_closed: closed in the last 7 days, latest first.',
    query: listItemsQuery,
    response: page(item),
    handler: async ({ query, ctx }) => listItemsPage(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/items',
    permission: 'items.write',
    tag,
    summary: 'Log an opinion, request, suggestion, complaint, praise or question',
    description:
      'The customer: personId, else the person whose email is reporterEmail, else a new prospect. ' +
      'With acknowledge (default) and a known email, the acknowledgement template is sent.',
    body: createItemInput,
    status: 201,
    response: item,
    handler: async ({ body, ctx, reply }) => {
      const created = await createItem(ctx, requireAuth(ctx), body);
      setEtag(reply, created.version);
      reply.header('Location', `/api/v1/items/${created.id}`);
      return created;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/items/bulk',
    permission: 'items.write',
    tag,
    summary: 'Take, assign or tag many items at once (all or nothing)',
    description: 'Any refused id makes it a 422 listing each id and why; nothing is changed then.',
    body: bulkItemsInput,
    response: bulkResult,
    handler: async ({ body, ctx }) => {
      const auth = requireAuth(ctx);
      return bulkItems(ctx, auth, body);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/items/:id',
    permission: 'items.read',
    tag,
    summary: 'One item (the ETag header carries the version)',
    params: idParams,
    response: item,
    handler: async ({ params, ctx, reply }) => {
      const found = await getItem(ctx, requireAuth(ctx), params.id);
      setEtag(reply, found.version);
      return found;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/items/:id',
    permission: 'items.write',
    tag,
    summary: 'Change an item; send the version you read (409 when someone saved first)',
    description: 'status takes working statuses only; resolve, close and reopen are actions.',
    params: idParams,
    body: updateItemInput,
    response: item,
    handler: async ({ params, body, ctx, request, reply }) => {
      const { version: bodyVersion, ...fields } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      const updated = await updateItem(ctx, requireAuth(ctx), params.id, fields, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/items/:id/events',
    permission: 'items.read',
    tag,
    summary: "An item's full history (append-only), oldest first",
    params: idParams,
    query: itemEventsQuery,
    response: page(itemEvent),
    handler: async ({ params, query, ctx }) => itemEventsPage(ctx, requireAuth(ctx), params.id, query),
  }),
  action({
    name: 'take',
    summary: 'Become the owner (409 naming the owner when someone has it already)',
    run: ({ ctx, id, version }) => takeItem(ctx, requireAuth(ctx), id, version),
  }),
  action({
    name: 'assign',
    permission: 'items.assign',
    summary: 'Give the item to a staff user, who is notified',
    body: assignInput,
    run: ({ ctx, id, body, version }) =>
      assignItem(ctx, requireAuth(ctx), id, body.userId, body.version ?? version),
  }),
  action({
    name: 'escalate',
    summary: 'Raise the item on the ladder (lead, manager, executive); everyone at that level is notified',
    body: escalateInput,
    run: ({ ctx, id, body, version }) => escalateItemByHand(ctx, requireAuth(ctx), id, body, version),
  }),
  action({
    name: 'note',
    summary: 'Add an internal note (never sent); @mentions notify staff',
    description:
      'A mention is @ followed by a user’s name without spaces (@AnaSouza) or the local part of their ' +
      'email (@ana.souza), case-insensitive.',
    body: noteInput,
    run: ({ ctx, id, body, version }) => addNote(ctx, requireAuth(ctx), id, body.body, version),
  }),
  action({
    name: 'resolve',
    summary: 'Record how the item was resolved',
    body: resolveInput,
    run: ({ ctx, id, body, version }) => resolveItem(ctx, requireAuth(ctx), id, body.resolution, version),
  }),
  action({
    name: 'inform',
    summary: 'Record that the customer was told the outcome (send=true with how=email mails it)',
    body: informInput,
    run: ({ ctx, id, body, version }) => informCustomer(ctx, requireAuth(ctx), id, body, version),
  }),
  action({
    name: 'thank',
    summary: 'Thank the customer (how=email sends the template or your own words)',
    body: thankInput,
    run: ({ ctx, id, body, version }) => thankCustomer(ctx, requireAuth(ctx), id, body, version),
  }),
  action({
    name: 'close',
    summary: 'Close a resolved item once the customer was informed and thanked, or with a reason',
    body: closeInput,
    run: ({ ctx, id, body, version }) => closeItem(ctx, requireAuth(ctx), id, body.reason, version),
  }),
  action({
    name: 'reopen',
    summary: 'Reopen a resolved or closed item (informing and thanking start over)',
    body: reopenInput,
    run: ({ ctx, id, body, version }) => reopenItem(ctx, requireAuth(ctx), id, body.reason, version),
  }),
];
