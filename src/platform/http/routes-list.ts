import { adminRoutes } from '../../features/admin/routes.ts';
import { authRoutes } from '../../features/auth/routes.ts';
import { customFieldRoutes } from '../../features/custom-fields/routes.ts';
import { exportRoutes } from '../../features/exports/routes.ts';
import { importRoutes } from '../../features/imports/routes.ts';
import { interactionRoutes } from '../../features/interactions/routes.ts';
import { itemExtraRoutes } from '../../features/items/extras-routes.ts';
import { itemRoutes } from '../../features/items/routes.ts';
import { conversationRoutes } from '../../features/mail-in/routes.ts';
import { mergeRoutes } from '../../features/merges/routes.ts';
import { notificationRoutes } from '../../features/notifications/routes.ts';
import { organizationRoutes } from '../../features/organizations/routes.ts';
import { peopleRoutes } from '../../features/people/routes.ts';
import { problemRoutes } from '../../features/problems/routes.ts';
import { relationshipRoutes } from '../../features/relationships/routes.ts';
import { setupRoutes } from '../../features/setup/routes.ts';
import { slaRoutes } from '../../features/sla/routes.ts';
import { tokenRoutes } from '../../features/tokens/routes.ts';
import { userRoutes } from '../../features/users/routes.ts';
import { savedViewRoutes } from '../../features/views/routes.ts';
import { workspaceRoutes } from '../../features/workspace/routes.ts';
import type { Route } from './route.ts';

/** Every API route, feature by feature. A new feature adds one line here. */
export const apiRoutes: Route[] = [
  ...setupRoutes,
  ...authRoutes,
  ...userRoutes,
  ...tokenRoutes,
  ...adminRoutes,
  // Static paths (/people/export) are matched before /people/:id whatever the order here.
  ...exportRoutes,
  ...importRoutes,
  ...peopleRoutes,
  ...organizationRoutes,
  ...interactionRoutes,
  ...relationshipRoutes,
  ...mergeRoutes,
  ...customFieldRoutes,
  ...savedViewRoutes,
  ...workspaceRoutes,
  ...itemRoutes,
  ...itemExtraRoutes,
  ...conversationRoutes,
  ...problemRoutes,
  ...slaRoutes,
  ...notificationRoutes,
];
