import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams } from '../../shared/common.ts';
import { addItemTimeInput, setItemTimeInput } from '../../shared/item-time.ts';
import { item } from '../../shared/listening.ts';
import { requestedVersion, setEtag } from '../people/precondition.ts';
import { correctItemTime, recordItemTime } from './time.ts';

const tag = 'items';
const costs =
  'The cost metrics price an item with its recorded minutes; an item without any uses the estimate for its ' +
  'channel from the cost settings.';

export const itemTimeRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/items/:id/time',
    permission: 'items.write',
    tag,
    summary: 'Record staff time spent on the item (added to its handlingMinutes)',
    description: `Entries made at the same time all count. ${costs} An If-Match header makes it act only on the version you read (409 otherwise).`,
    params: idParams,
    body: addItemTimeInput,
    response: item,
    handler: async ({ params, body, ctx, request, reply }) => {
      const version = requestedVersion(request, undefined, false);
      const updated = await recordItemTime(ctx, requireAuth(ctx), params.id, body, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/items/:id/time',
    permission: 'items.write',
    tag,
    summary: 'Correct the recorded time of the item (a new total, with a reason)',
    description: `Send the version you read (409 when someone changed the item first). null clears the recorded time. ${costs}`,
    params: idParams,
    body: setItemTimeInput,
    response: item,
    handler: async ({ params, body, ctx, request, reply }) => {
      const { version: bodyVersion, ...input } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      const updated = await correctItemTime(ctx, requireAuth(ctx), params.id, input, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
];
