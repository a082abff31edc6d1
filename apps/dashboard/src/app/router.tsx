import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { AuditLogPage } from '../features/audit/routes/AuditLogPage';
import { CompliancePage } from '../features/compliance/routes/CompliancePage';
import { ConsentsPage } from '../features/consents/routes/ConsentsPage';
import { ServicesPage } from '../features/services/routes/ServicesPage';
import { LoginPage } from '../features/session/routes/LoginPage';
import { SignupPage } from '../features/session/routes/SignupPage';
import { SettingsPage } from '../features/settings/routes/SettingsPage';
import { SubjectLookupPage } from '../features/subjects/routes/SubjectLookupPage';
import { InventoryPage } from '../features/tokens/routes/InventoryPage';
import { IssueTokenPage } from '../features/tokens/routes/IssueTokenPage';
import { TokenDetailPage } from '../features/tokens/routes/TokenDetailPage';
import { UsersPage } from '../features/users/routes/UsersPage';
import { AppLayout } from './AppLayout';
import { NotFoundPage } from './NotFoundPage';
import { RequireSession } from './RequireSession';
import { LoadingState } from '../shared/components/states';

// The overview's chart library is most of the bundle: load it with the page that draws charts.
const OverviewPage = lazy(() => import('../features/overview/routes/OverviewPage').then((m) => ({ default: m.OverviewPage })));

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  { path: '/signup', element: <SignupPage /> },
  {
    element: <RequireSession />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/overview" replace /> },
          {
            path: 'overview',
            element: (
              <Suspense fallback={<LoadingState label="Loading the overview…" />}>
                <OverviewPage />
              </Suspense>
            ),
          },
          { path: 'tokens', element: <InventoryPage /> },
          { path: 'tokens/new', element: <IssueTokenPage /> },
          { path: 'tokens/:tokenId', element: <TokenDetailPage /> },
          { path: 'consents', element: <ConsentsPage /> },
          { path: 'subjects', element: <SubjectLookupPage /> },
          { path: 'subjects/:subjectRef', element: <SubjectLookupPage /> },
          { path: 'services', element: <ServicesPage /> },
          { path: 'users', element: <UsersPage /> },
          { path: 'compliance', element: <CompliancePage /> },
          { path: 'audit', element: <AuditLogPage /> },
          { path: 'settings', element: <SettingsPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}

export type AppRouter = ReturnType<typeof createAppRouter>;
