import { adminRoutes } from '../../features/admin/routes.ts';
import { authRoutes } from '../../features/auth/routes.ts';
import { customFieldRoutes } from '../../features/custom-fields/routes.ts';
import { dashboardRoutes } from '../../features/dashboard/routes.ts';
import { digestRoutes } from '../../features/digest/routes.ts';
import { exportRoutes } from '../../features/exports/routes.ts';
import { goalRoutes } from '../../features/goals/routes.ts';
import { importRoutes } from '../../features/imports/routes.ts';
import { interactionRoutes } from '../../features/interactions/routes.ts';
import { itemExtraRoutes } from '../../features/items/extras-routes.ts';
import { itemRoutes } from '../../features/items/routes.ts';
import { conversationRoutes } from '../../features/mail-in/routes.ts';
import { mergeRoutes } from '../../features/merges/routes.ts';
import { costRoutes } from '../../features/metrics/cost-routes.ts';
import { metricRoutes } from '../../features/metrics/routes.ts';
import { notificationRoutes } from '../../features/notifications/routes.ts';
import { organizationRoutes } from '../../features/organizations/routes.ts';
import { peopleRoutes } from '../../features/people/routes.ts';
import { articleRoutes, portalArticleRoutes } from '../../features/portal/articles/routes.ts';
import { portalAuthRoutes } from '../../features/portal/auth/routes.ts';
import { erasureRoutes, portalErasureRoutes } from '../../features/portal/erasure/routes.ts';
import { intentRoutes, portalIntentRoutes } from '../../features/portal/intents/routes.ts';
import { portalItemRoutes } from '../../features/portal/items/routes.ts';
import { portalActivityRoutes, portalMeRoutes } from '../../features/portal/me/routes.ts';
import { portalLogoRoutes, portalSettingsRoutes } from '../../features/portal/settings/routes.ts';
import { portalSuggestionRoutes, suggestionBoardRoutes } from '../../features/portal/suggestions/routes.ts';
import { portalTermsRoutes, termsRoutes } from '../../features/portal/terms/routes.ts';
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
  ...metricRoutes,
  ...costRoutes,
  ...goalRoutes,
  ...digestRoutes,
  ...dashboardRoutes,
  // The portal: staff routes under /api/v1/portal, customer routes under /portal/api/v1.
  ...portalSettingsRoutes,
  ...articleRoutes,
  ...suggestionBoardRoutes,
  ...erasureRoutes,
  ...intentRoutes,
  ...termsRoutes,
  ...portalActivityRoutes,
  ...portalAuthRoutes,
  ...portalLogoRoutes,
  ...portalMeRoutes,
  ...portalTermsRoutes,
  ...portalErasureRoutes,
  ...portalItemRoutes,
  ...portalSuggestionRoutes,
  ...portalArticleRoutes,
  ...portalIntentRoutes,
];
