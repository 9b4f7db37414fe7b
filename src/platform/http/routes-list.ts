import { adminRoutes } from '../../features/admin/routes.ts';
import { authRoutes } from '../../features/auth/routes.ts';
import { organizationRoutes } from '../../features/organizations/routes.ts';
import { peopleRoutes } from '../../features/people/routes.ts';
import { setupRoutes } from '../../features/setup/routes.ts';
import { tokenRoutes } from '../../features/tokens/routes.ts';
import { userRoutes } from '../../features/users/routes.ts';
import type { Route } from './route.ts';

/** Every API route, feature by feature. A new feature adds one line here. */
export const apiRoutes: Route[] = [
  ...setupRoutes,
  ...authRoutes,
  ...userRoutes,
  ...tokenRoutes,
  ...adminRoutes,
  ...peopleRoutes,
  ...organizationRoutes,
];
