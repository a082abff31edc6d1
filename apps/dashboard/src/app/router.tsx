import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { PasskeySignInButton } from '../features/security/PasskeySignInButton';
import { LoginPage, type PasskeySlot } from '../features/session/routes/LoginPage';
import { SignupPage } from '../features/session/routes/SignupPage';
import { LoadingState } from '../shared/components/states';
import { AppLayout } from './AppLayout';
import { NotFoundPage } from './NotFoundPage';
import { RequireSession } from './RequireSession';

/**
 * Every page behind the session is loaded with its route (React Router's `lazy`), so the first screen
 * downloads the shell and that page only, not every page and the overview's chart library.
 */
/** The log-in's second step offers "Use a passkey" when the person has one. */
const passkeySignIn: PasskeySlot = (challenge, onSignedIn) => <PasskeySignInButton mfaToken={challenge.mfaToken} onSignedIn={onSignedIn} />;

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage passkeySignIn={passkeySignIn} /> },
  { path: '/signup', element: <SignupPage /> },
  // Public: the person invited has no session yet; the link's token is in the fragment.
  {
    path: '/invitations/accept',
    lazy: () => import('../features/invitations/routes/AcceptInvitationPage').then((m) => ({ Component: m.AcceptInvitationPage })),
  },
  {
    element: <RequireSession />,
    hydrateFallbackElement: <LoadingState label="Loading…" />,
    children: [
      // A session restricted to MFA enrolment sees this screen only (RequireSession), without the app's navigation.
      {
        path: 'setup/mfa',
        lazy: () =>
          Promise.all([import('../features/security/routes/MfaEnrolmentPage'), import('../features/security/PasskeysCard')]).then(([page, passkeys]) => ({
            Component: () => <page.MfaEnrolmentPage passkeysCard={<passkeys.PasskeysCard />} />,
          })),
      },
      // A session owed a password change (someone else chose it) sees this screen only.
      { path: 'setup/password', lazy: () => import('../features/session/routes/ChangePasswordScreen').then((m) => ({ Component: m.ChangePasswordScreen })) },
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <Navigate to="/overview" replace /> },
          { path: 'overview', lazy: () => import('../features/overview/routes/OverviewPage').then((m) => ({ Component: m.OverviewPage })) },
          { path: 'alerts', lazy: () => import('../features/alerts/routes/AlertsPage').then((m) => ({ Component: m.AlertsPage })) },
          { path: 'alerts/:alertId', lazy: () => import('../features/alerts/routes/AlertDetailPage').then((m) => ({ Component: m.AlertDetailPage })) },
          { path: 'tokens', lazy: () => import('../features/tokens/routes/InventoryPage').then((m) => ({ Component: m.InventoryPage })) },
          { path: 'tokens/new', lazy: () => import('../features/tokens/routes/IssueTokenPage').then((m) => ({ Component: m.IssueTokenPage })) },
          { path: 'tokens/:tokenId', lazy: () => import('../features/tokens/routes/TokenDetailPage').then((m) => ({ Component: m.TokenDetailPage })) },
          { path: 'tokens/:tokenId/edit', lazy: () => import('../features/tokens/routes/EditTokenPage').then((m) => ({ Component: m.EditTokenPage })) },
          { path: 'reviews', lazy: () => import('../features/reviews/routes/MyReviewsPage').then((m) => ({ Component: m.MyReviewsPage })) },
          { path: 'reviews/campaigns', lazy: () => import('../features/reviews/routes/CampaignsPage').then((m) => ({ Component: m.CampaignsPage })) },
          {
            path: 'reviews/campaigns/:campaignId',
            lazy: () => import('../features/reviews/routes/CampaignDetailPage').then((m) => ({ Component: m.CampaignDetailPage })),
          },
          { path: 'usage', lazy: () => import('../features/usage/routes/UsagePage').then((m) => ({ Component: m.UsagePage })) },
          { path: 'consents', lazy: () => import('../features/consents/routes/ConsentsPage').then((m) => ({ Component: m.ConsentsPage })) },
          { path: 'subjects', lazy: subjectLookup },
          { path: 'subjects/:subjectRef', lazy: subjectLookup },
          { path: 'services', lazy: () => import('../features/services/routes/ServicesPage').then((m) => ({ Component: m.ServicesPage })) },
          { path: 'services/:serviceId', lazy: () => import('../features/services/routes/ServicePage').then((m) => ({ Component: m.ServicePage })) },
          { path: 'webhooks', lazy: () => import('../features/webhooks/routes/WebhooksPage').then((m) => ({ Component: m.WebhooksPage })) },
          { path: 'users', lazy: () => import('../features/users/routes/UsersPage').then((m) => ({ Component: m.UsersPage })) },
          { path: 'compliance', lazy: () => import('../features/compliance/routes/CompliancePage').then((m) => ({ Component: m.CompliancePage })) },
          { path: 'audit', lazy: () => import('../features/audit/routes/AuditLogPage').then((m) => ({ Component: m.AuditLogPage })) },
          {
            path: 'security',
            lazy: () =>
              Promise.all([import('../features/security/routes/SecurityPage'), import('../features/security/PasskeysCard')]).then(([page, passkeys]) => ({
                Component: () => <page.SecurityPage passkeysCard={<passkeys.PasskeysCard />} />,
              })),
          },
          { path: 'settings', lazy: () => import('../features/settings/routes/SettingsPage').then((m) => ({ Component: m.SettingsPage })) },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

function subjectLookup() {
  return import('../features/subjects/routes/SubjectLookupPage').then((m) => ({ Component: m.SubjectLookupPage }));
}

export function createAppRouter() {
  return createBrowserRouter(routes);
}

