import { z } from 'zod';
import { nowOf, requireAuth, requireCustomer } from '../../../platform/http/context.ts';
import { defineRoute, type Route } from '../../../platform/http/route.ts';
import { idParams } from '../../../shared/common.ts';
import {
  myContact,
  myData,
  myDataExport,
  portalActivity,
  portalActivityQuery,
  portalMeUpdateInput,
} from '../../../shared/portal-me.ts';
import { portalActivityOf } from './activity.ts';
import { exportMyData } from './export.ts';
import { findMyPersonRow, personOutput } from './person.ts';
import { loadMyData, organizationName } from './read.ts';
import { updateMyDetails } from './update.ts';
import { emailOnlyVCard, myVCard } from './vcard.ts';

const tag = 'portal';
const base = '/portal/api/v1/me';
const customerRoute = { audience: 'portal', permission: 'customer', tag } as const;

/** Customer side: GET/PATCH /me, GET /me/export, GET /me/vcard. */
export const portalMeRoutes: Route[] = [
  defineRoute({
    ...customerRoute,
    method: 'GET',
    url: base,
    summary: 'Everything the company holds about the signed-in customer that is theirs to see',
    description:
      'Contact details, organization name, interactions (never staff notes), items, terms and their ' +
      'history. A customer without a record yet gets their email and empty lists.',
    response: myData,
    handler: async ({ ctx }) => {
      const { personId: _id, itemRows: _rows, ...mine } = await loadMyData(ctx.deps.db, requireCustomer(ctx));
      return mine;
    },
  }),
  defineRoute({
    ...customerRoute,
    method: 'PATCH',
    url: base,
    summary: 'Correct my own details (names, pronouns, job title, birthday, emails, phones, addresses)',
    description:
      'Applies at once and is audited as the customer. Lists are replaced whole; phones are read with ' +
      "the workspace's region. Send `version` to get 409 when the details changed since you read them. " +
      'Stage, owner, tags, custom fields, notes and organization are not yours to change (400). ' +
      'Creates the record when the customer has none.',
    body: portalMeUpdateInput,
    response: myContact,
    handler: async ({ body, ctx }) => updateMyDetails(ctx, requireCustomer(ctx), body),
  }),
  defineRoute({
    ...customerRoute,
    method: 'GET',
    url: `${base}/export`,
    summary: 'Download everything: one JSON document of all my data',
    description:
      'All of GET /me plus full item conversations (without staff notes), votes, suggestion comments, ' +
      'article feedback, intents and their responses, terms versions, erasure requests and sign-ins.',
    response: myDataExport,
    handler: async ({ ctx, reply }) => {
      const customer = requireCustomer(ctx);
      const workspace = await ctx.deps.db
        .selectFrom('workspaces')
        .select('name')
        .where('id', '=', customer.workspaceId)
        .executeTakeFirstOrThrow();
      const document = await exportMyData(ctx.deps.db, customer, workspace.name, nowOf(ctx.deps));
      reply
        .type('application/json; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="my-data.json"')
        .header('Cache-Control', 'no-store');
      return document;
    },
  }),
  defineRoute({
    ...customerRoute,
    method: 'GET',
    url: `${base}/vcard`,
    summary: 'Download my own card as vCard 4.0',
    response: z.string().describe('text/vcard'),
    handler: async ({ ctx, reply }) => {
      const customer = requireCustomer(ctx);
      const row = await findMyPersonRow(ctx.deps.db, customer);
      const organization = row
        ? await organizationName(ctx.deps.db, customer.workspaceId, row.organization_id)
        : null;
      const card = row
        ? myVCard(personOutput(row), organization?.name ?? null)
        : emailOnlyVCard(customer.email);
      reply
        .type('text/vcard; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="my-card.vcf"')
        .header('Cache-Control', 'no-store');
      return card;
    },
  }),
];

/** Staff side: a person's portal activity and "changed by customer" marks. */
export const portalActivityRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/people/:id/portal-activity',
    permission: 'people.read',
    tag,
    summary: "A person's use of the portal: last sign-in, what they did, which fields they corrected",
    description:
      'activity is newest first, one page at a time (pass `next` as `after`). changedFields lists each ' +
      'field the customer changed themselves, with the latest time.',
    params: idParams,
    query: portalActivityQuery,
    response: portalActivity,
    handler: async ({ params, query, ctx }) => portalActivityOf(ctx, requireAuth(ctx), params.id, query),
  }),
];
