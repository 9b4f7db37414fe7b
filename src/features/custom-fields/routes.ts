import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { idParams } from '../../shared/common.ts';
import {
  createCustomFieldInput,
  customField,
  customFieldList,
  listCustomFieldsQuery,
  updateCustomFieldInput,
} from '../../shared/custom-fields.ts';
import { requestedVersion, setEtag } from '../people/precondition.ts';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from './service.ts';

const tag = 'custom fields';

export const customFieldRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/custom-fields',
    // Everyone who sees people needs the definitions to show and edit their values.
    permission: 'people.read',
    tag,
    summary: 'Custom field definitions of the workspace, in display order (one page: at most a few hundred)',
    query: listCustomFieldsQuery,
    response: customFieldList,
    handler: async ({ query, ctx }) => listCustomFields(ctx, requireAuth(ctx), query.entity),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/custom-fields',
    permission: 'customFields.manage',
    tag,
    summary: 'Define a custom field for people or organizations (key unique per entity: 409)',
    body: createCustomFieldInput,
    status: 201,
    response: customField,
    handler: async ({ body, ctx, reply }) => {
      const created = await createCustomField(ctx, requireAuth(ctx), body);
      setEtag(reply, created.version);
      return created;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/custom-fields/:id',
    permission: 'customFields.manage',
    tag,
    summary: 'Change the label, options or position of a custom field (send the version you read)',
    description:
      'The key and type cannot change. Options removed from a select field are removed from stored values.',
    params: idParams,
    body: updateCustomFieldInput,
    response: customField,
    handler: async ({ params, body, ctx, request, reply }) => {
      const { version: bodyVersion, ...fields } = body;
      const version = requestedVersion(request, bodyVersion, true)!;
      const updated = await updateCustomField(ctx, requireAuth(ctx), params.id, fields, version);
      setEtag(reply, updated.version);
      return updated;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/custom-fields/:id',
    permission: 'customFields.manage',
    tag,
    summary: 'Delete a custom field and remove its values from every record (If-Match is honoured)',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx, request }) => {
      await deleteCustomField(ctx, requireAuth(ctx), params.id, requestedVersion(request, undefined, false));
    },
  }),
];
