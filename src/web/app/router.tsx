import { createBrowserRouter, Navigate } from 'react-router';
import { InvitePage } from '../auth/InvitePage.tsx';
import { LoginPage } from '../auth/LoginPage.tsx';
import { SetupPage } from '../auth/SetupPage.tsx';
import { CostSettingsPage } from '../costs/CostSettingsPage.tsx';
import { CustomFieldsPage } from '../custom-fields/CustomFieldsPage.tsx';
import { DashboardPage } from '../dashboard/DashboardPage.tsx';
import { DuplicatesPage } from '../duplicates/DuplicatesPage.tsx';
import { GoalPage } from '../goals/GoalPage.tsx';
import { GoalsPage } from '../goals/GoalsPage.tsx';
import { ImportPage } from '../imports/ImportPage.tsx';
import { GoneQuietPage } from '../interactions/GoneQuietPage.tsx';
import { ItemPage } from '../items/ItemPage.tsx';
import { ItemsPage } from '../items/ItemsPage.tsx';
import { ListeningSettingsPage } from '../listening-settings/ListeningSettingsPage.tsx';
import { OrganizationPage } from '../organizations/OrganizationPage.tsx';
import { OrganizationsListPage } from '../organizations/OrganizationsListPage.tsx';
import { PeopleListPage } from '../people/list/PeopleListPage.tsx';
import { PersonPage } from '../people/person/PersonPage.tsx';
import { RecentlyDeletedPage } from '../people/RecentlyDeletedPage.tsx';
import { ArticleEditorPage } from '../portal-admin/articles/ArticleEditorPage.tsx';
import { ArticlesPage } from '../portal-admin/articles/ArticlesPage.tsx';
import { ErasureRequestsPage } from '../portal-admin/erasure/ErasureRequestsPage.tsx';
import { IntentsPage } from '../portal-admin/intents/IntentsPage.tsx';
import { PortalSettingsPage } from '../portal-admin/settings/PortalSettingsPage.tsx';
import { SuggestionsTriagePage } from '../portal-admin/suggestions/SuggestionsTriagePage.tsx';
import { EscalationsPage } from '../problems/EscalationsPage.tsx';
import { ProblemPage } from '../problems/ProblemPage.tsx';
import { ProblemsPage } from '../problems/ProblemsPage.tsx';
import { AccountPage } from '../settings/AccountPage.tsx';
import { AuditPage } from '../settings/AuditPage.tsx';
import { JobsPage } from '../settings/JobsPage.tsx';
import { OutboxPage } from '../settings/OutboxPage.tsx';
import { TokensPage } from '../settings/TokensPage.tsx';
import { UsersPage } from '../settings/UsersPage.tsx';
import { WorkspacePage } from '../settings/WorkspacePage.tsx';
import { RouteError } from './errors.tsx';
import { Guard, NotFoundRoute, RequireSession } from './guards.tsx';
import { Home } from './Home.tsx';

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/setup', element: <SetupPage /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/invite/:token', element: <InvitePage /> },
      {
        path: '/',
        element: <RequireSession />,
        children: [
          { index: true, element: <Home /> },
          { path: 'settings', element: <Navigate to="/settings/account" replace /> },
          {
            path: 'settings/users',
            element: (
              <Guard permission="users.read">
                <UsersPage />
              </Guard>
            ),
          },
          {
            path: 'settings/tokens',
            element: (
              <Guard permission="tokens.manage">
                <TokensPage />
              </Guard>
            ),
          },
          {
            path: 'settings/audit',
            element: (
              <Guard permission="audit.read">
                <AuditPage />
              </Guard>
            ),
          },
          {
            path: 'settings/outbox',
            element: (
              <Guard permission="outbox.read">
                <OutboxPage />
              </Guard>
            ),
          },
          {
            path: 'settings/jobs',
            element: (
              <Guard permission="jobs.manage">
                <JobsPage />
              </Guard>
            ),
          },
          { path: 'settings/account', element: <AccountPage /> },
          {
            path: 'settings/workspace',
            element: (
              <Guard permission="workspace.manage">
                <WorkspacePage />
              </Guard>
            ),
          },
          {
            path: 'settings/custom-fields',
            element: (
              <Guard permission="customFields.manage">
                <CustomFieldsPage />
              </Guard>
            ),
          },
          {
            path: 'people/import',
            element: (
              <Guard permission="people.import">
                <ImportPage />
              </Guard>
            ),
          },
          {
            path: 'people/duplicates',
            element: (
              <Guard permission="people.merge">
                <DuplicatesPage />
              </Guard>
            ),
          },
          { path: 'people/gone-quiet', element: <GoneQuietPage /> },
          {
            path: 'people/deleted',
            element: (
              <Guard permission="people.delete">
                <RecentlyDeletedPage />
              </Guard>
            ),
          },
          { path: 'people', element: <PeopleListPage /> },
          { path: 'people/:id', element: <PersonPage /> },
          { path: 'organizations', element: <OrganizationsListPage /> },
          {
            path: 'organizations/deleted',
            element: (
              <Guard permission="organizations.delete">
                <RecentlyDeletedPage initial="organizations" />
              </Guard>
            ),
          },
          { path: 'organizations/:id', element: <OrganizationPage /> },
          { path: 'items', element: <ItemsPage /> },
          { path: 'items/:id', element: <ItemPage /> },
          { path: 'escalations', element: <EscalationsPage /> },
          { path: 'problems', element: <ProblemsPage /> },
          { path: 'problems/:id', element: <ProblemPage /> },
          { path: 'goals', element: <GoalsPage /> },
          { path: 'goals/:id', element: <GoalPage /> },
          { path: 'dashboard', element: <DashboardPage /> },
          { path: 'portal-admin/suggestions', element: <SuggestionsTriagePage /> },
          { path: 'portal-admin/articles', element: <ArticlesPage /> },
          { path: 'portal-admin/articles/:id', element: <ArticleEditorPage /> },
          { path: 'portal-admin/intents', element: <IntentsPage /> },
          { path: 'portal-admin/erasure', element: <ErasureRequestsPage /> },
          {
            path: 'settings/portal',
            element: (
              <Guard permission="portal.configure">
                <PortalSettingsPage />
              </Guard>
            ),
          },
          {
            path: 'settings/costs',
            element: (
              <Guard permission="costs.configure">
                <CostSettingsPage />
              </Guard>
            ),
          },
          {
            path: 'settings/listening',
            element: (
              <Guard permission="listening.configure">
                <ListeningSettingsPage />
              </Guard>
            ),
          },
        ],
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
]);
