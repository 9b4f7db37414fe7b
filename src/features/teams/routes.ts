import { requireAuth } from '../../platform/http/context.ts';
import { checkCursor } from '../../platform/http/pagination.ts';
import { defineRoute } from '../../platform/http/route.ts';
import { idParams, page, pageQuery } from '../../shared/common.ts';
import { ladderInput, ladderUser, team, teamInput } from '../../shared/listening-settings.ts';
import { createTeam, deleteTeam, listLadder, listTeams, setLadder, toTeam } from './service.ts';

const tag = 'teams';

/** Keyset page in ascending id order: the cursor is the last id of the page. */
function ascendingPage<Row extends { id: string }, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
) {
  const pageRows = rows.slice(0, limit);
  return { data: pageRows.map(map), next: rows.length > limit ? pageRows.at(-1)!.id : null };
}

export const teamRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/teams',
    permission: 'items.read',
    tag,
    summary: 'Teams of the workspace, oldest first, with their member counts',
    query: pageQuery,
    response: page(team),
    handler: async ({ query, ctx }) => {
      const rows = await listTeams(
        ctx.deps.db,
        requireAuth(ctx).workspaceId,
        checkCursor(query.after),
        query.limit,
      );
      return ascendingPage(rows, query.limit, toTeam);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/teams',
    permission: 'listening.configure',
    tag,
    summary: 'Create a team (names are unique in the workspace, ignoring case)',
    body: teamInput,
    status: 201,
    response: team,
    handler: async ({ body, ctx }) => createTeam(ctx, requireAuth(ctx), body.name),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/teams/:id',
    permission: 'listening.configure',
    tag,
    summary: 'Delete a team; its members and items are left without a team',
    params: idParams,
    status: 204,
    response: null,
    handler: async ({ params, ctx }) => deleteTeam(ctx, requireAuth(ctx), params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/users/ladder',
    permission: 'items.read',
    tag,
    summary: 'Active staff with their escalation-ladder level (explicit or from the role) and team',
    query: pageQuery,
    response: page(ladderUser),
    handler: async ({ query, ctx }) => {
      const rows = await listLadder(
        ctx.deps.db,
        requireAuth(ctx).workspaceId,
        checkCursor(query.after),
        query.limit,
      );
      return ascendingPage(rows, query.limit, (row) => row);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/users/:id/ladder',
    permission: 'listening.configure',
    tag,
    summary: "Set a user's level on the escalation ladder (null: from the role) and team",
    params: idParams,
    body: ladderInput,
    response: ladderUser,
    handler: async ({ params, body, ctx }) => setLadder(ctx, requireAuth(ctx), params.id, body),
  }),
];
