import type { RouteSpec } from './routes/route-spec';
import { ACCOUNT_ROUTES } from './routes/accounts';
import { SERVICE_ROUTES } from './routes/services';
import { POLICY_ROUTES } from './routes/policy';
import { TOKEN_ROUTES } from './routes/tokens';
import { VERIFY_ROUTES } from './routes/verify';
import { AUDIT_ROUTES } from './routes/audit';
import { READ_MODEL_ROUTES } from './routes/read-models';
import { WEBHOOK_ROUTES } from './routes/webhooks';
import { CONSENT_ROUTES } from './routes/consents';
import { REPORT_ROUTES } from './routes/reports';
import { USAGE_ROUTES } from './routes/usage';
import { ALERT_ROUTES } from './routes/alerts';
import { REVIEW_ROUTES } from './routes/reviews';
import { SSO_ROUTES } from './routes/sso';
import { SECURITY_ROUTES } from './routes/security';
import { INVITATION_ROUTES } from './routes/invitations';
import { PASSKEY_ROUTES } from './routes/passkeys';
import { EVENT_ROUTES } from './routes/events';

export * from './routes/route-spec';
export { fixtureOf } from './routes/shared';

/**
 * Every /v1 route of the API, listed once, with what the same security cases need to run against it
 * (see security-cases.ts): who may call it, how to make a valid and an invalid request, what it acts on
 * and what a caller of another tenant must get. A case that cannot apply to a route says why there.
 * One file per feature in routes/ (route-spec.ts says what a route declares); this list joins them.
 */
export const ROUTES: readonly RouteSpec[] = [
  ...ACCOUNT_ROUTES,
  ...SERVICE_ROUTES,
  ...POLICY_ROUTES,
  ...TOKEN_ROUTES,
  ...VERIFY_ROUTES,
  ...AUDIT_ROUTES,
  ...READ_MODEL_ROUTES,
  ...WEBHOOK_ROUTES,
  ...CONSENT_ROUTES,
  ...REPORT_ROUTES,
  ...USAGE_ROUTES,
  ...ALERT_ROUTES,
  ...REVIEW_ROUTES,
  ...SSO_ROUTES,
  ...SECURITY_ROUTES,
  ...INVITATION_ROUTES,
  ...PASSKEY_ROUTES,
  ...EVENT_ROUTES,
];

export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): string => `${route.method} ${route.path}`;
