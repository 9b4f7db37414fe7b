import { requireAuth, requireCustomer } from '../../../platform/http/context.ts';
import { defineRoute, type Route } from '../../../platform/http/route.ts';
import { idParams } from '../../../shared/common.ts';
import {
  boardItemQuery,
  boardPage,
  boardQuery,
  boardSuggestionDetail,
  boardUpdateInput,
  boardUpdateResult,
  customerCommentInput,
  staffCommentInput,
  suggestionComment,
  triageDetail,
  triagePage,
  triageQuery,
  voteResult,
} from '../../../shared/portal-suggestions.ts';
import { listBoard, boardSuggestionDetail as loadBoardSuggestion } from './board.ts';
import { commentAsCustomer, voteFor, withdrawVoteFor } from './participate.ts';
import { commentAsStaff, triageDetail as loadTriageDetail, triageList, updateBoard } from './triage.ts';

const tag = 'portal';
const base = '/portal/api/v1/suggestions';
const visibility =
  'Readable by signed-in customers, and by anyone when the portal setting "public suggestions" is on ' +
  '(else 401). Only suggestions staff put on the board; never who submitted or voted.';

/** Customer side: the suggestions board, votes and comments. */
export const portalSuggestionRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: base,
    audience: 'portal',
    permission: 'public',
    optionalAuth: true,
    tag,
    summary: 'The suggestions board: status, staff response, votes and comment counts',
    description: `${visibility} Sort top (most votes) or new; keyset pages.`,
    query: boardQuery,
    response: boardPage,
    handler: async ({ query, ctx }) => listBoard(ctx, query),
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/:id`,
    audience: 'portal',
    permission: 'public',
    optionalAuth: true,
    tag,
    summary: 'One suggestion of the board with its comments',
    description: `${visibility} Customers' comments show their first name only.`,
    params: idParams,
    query: boardItemQuery,
    response: boardSuggestionDetail,
    handler: async ({ params, query, ctx }) => loadBoardSuggestion(ctx, params.id, query.workspace),
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/:id/vote`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Vote for a suggestion (voting twice keeps one vote)',
    params: idParams,
    response: voteResult,
    handler: async ({ params, ctx }) => voteFor(ctx, requireCustomer(ctx), params.id),
  }),
  defineRoute({
    method: 'DELETE',
    url: `${base}/:id/vote`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Withdraw your vote (withdrawing twice changes nothing)',
    params: idParams,
    response: voteResult,
    handler: async ({ params, ctx }) => withdrawVoteFor(ctx, requireCustomer(ctx), params.id),
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/:id/comments`,
    audience: 'portal',
    permission: 'customer',
    tag,
    summary: 'Comment on a suggestion',
    description:
      'Counts towards the per-hour submission limit (429). Leave the honeypot field `website` empty.',
    params: idParams,
    body: customerCommentInput,
    status: 201,
    response: suggestionComment,
    handler: async ({ params, body, ctx }) => commentAsCustomer(ctx, requireCustomer(ctx), params.id, body),
  }),
];

/** Staff side: /api/v1/portal/suggestions (triage). */
export const suggestionBoardRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/portal/suggestions',
    permission: 'portal.read',
    tag,
    summary: 'Suggestions to triage: on the board or not yet, with votes and comment counts',
    description: 'Newest first; merged duplicates are left out (their votes moved to the survivor).',
    query: triageQuery,
    response: triagePage,
    handler: async ({ query, ctx }) => triageList(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/portal/suggestions/:id',
    permission: 'portal.read',
    tag,
    summary: 'One suggestion with its board status and comments',
    params: idParams,
    response: triageDetail,
    handler: async ({ params, ctx }) => loadTriageDetail(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/portal/suggestions/:id',
    permission: 'portal.content',
    tag,
    summary: 'Set the board status and public response of a suggestion',
    description:
      'boardStatus null takes it off the board. Declining needs boardResponse (the reason). On every ' +
      'status change each customer who voted is emailed the new status and response (outbox), unless ' +
      'their terms refuse service email.',
    params: idParams,
    body: boardUpdateInput,
    response: boardUpdateResult,
    handler: async ({ params, body, ctx }) => updateBoard(ctx, requireAuth(ctx), params.id, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/portal/suggestions/:id/comments',
    permission: 'portal.content',
    tag,
    summary: 'Answer on the board as staff (a comment shown as "<Workspace> team · <first name>")',
    params: idParams,
    body: staffCommentInput,
    status: 201,
    response: suggestionComment,
    handler: async ({ params, body, ctx }) => commentAsStaff(ctx, requireAuth(ctx), params.id, body.body),
  }),
];
