import { requireAuth } from '../../platform/http/context.ts';
import { defineRoute, type Route } from '../../platform/http/route.ts';
import { page } from '../../shared/common.ts';
import {
  listNotificationsQuery,
  markReadInput,
  notification,
  unreadCount,
} from '../../shared/notifications.ts';
import { listNotifications, markNotificationsRead, unreadNotifications } from './service.ts';

const tag = 'notifications';

export const notificationRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/notifications',
    permission: 'notifications.read',
    tag,
    summary: "The caller's notifications, newest first (unread=true for unread only)",
    query: listNotificationsQuery,
    response: page(notification),
    handler: async ({ query, ctx }) => listNotifications(ctx, requireAuth(ctx), query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/notifications/unread-count',
    permission: 'notifications.read',
    tag,
    summary: "How many of the caller's notifications are unread (counted up to 100)",
    response: unreadCount,
    handler: async ({ ctx }) => unreadNotifications(ctx, requireAuth(ctx)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/notifications/read',
    permission: 'notifications.read',
    tag,
    summary: 'Mark notifications read: the given ids, or all of them; returns the unread count left',
    description: "Ids that are not the caller's unread notifications are ignored.",
    body: markReadInput,
    response: unreadCount,
    handler: async ({ body, ctx }) => markNotificationsRead(ctx, requireAuth(ctx), body.ids),
  }),
];
