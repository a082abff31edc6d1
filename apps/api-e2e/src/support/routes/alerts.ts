import { githubSignatureHeaders } from '@custos/testing';
import type { RouteSpec } from './route-spec';
import { fixtureOf, ids, BOTH, NO_BODY, TOKEN } from './shared';

/** An open `leaked` alert of A (World.newAlert). */
const ALERT: RouteSpec['object'] = { kind: 'alert', make: (w) => w.newAlert() };

/** A token of A, in a tenant that has its signing key already (so the signed impact makes none). */
const TOKEN_OF_SIGNING_TENANT: RouteSpec['object'] = {
  kind: 'token',
  async make(w) {
    await w.newCheckpoint();
    return w.newToken();
  },
};

/** The alert, leak intake and breach impact routes of the catalogue. */
export const ALERT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/alerts',
    access: { scope: 'custos:alerts:read' },
    object: ALERT,
    valid: () => ({ query: 'rule=leaked&limit=200' }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
      },
    },
    invalid: { request: () => ({ query: 'status=closed&severity=urgent&rule=typo&from=yesterday&colour=red' }), fields: ['status', 'severity', 'rule', 'from', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/alerts/:id',
    access: { scope: 'custos:alerts:read' },
    object: ALERT,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, rule: 'leaked', status: 'open', tokenId: fixtureOf(c).name, remediation: { action: 'revoke' } });
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/alerts/:id/acknowledge',
    access: { scope: 'custos:alerts:write' },
    object: ALERT,
    valid: () => ({ body: { comment: 'on it' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['alert.acknowledged'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'acknowledged', acknowledged: { comment: 'on it' } });
        expect(c.after.answeredAlerts).toBe(c.before.answeredAlerts + 1);
      },
    },
    invalid: { request: () => ({ body: { comment: 42, colour: 'red' } }), fields: ['comment', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/alerts/:id/resolve',
    access: { scope: 'custos:alerts:write' },
    object: ALERT,
    valid: () => ({ body: { comment: 'token rotated out' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['alert.resolved'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'resolved', resolved: { comment: 'token rotated out' } });
        expect(c.after.answeredAlerts).toBe(c.before.answeredAlerts + 1);
      },
    },
    invalid: { request: () => ({ body: { comment: '', colour: 'red' } }), fields: ['comment', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/tokens/:id/impact',
    access: { scope: 'custos:reports:read' },
    object: TOKEN_OF_SIGNING_TENANT,
    valid: () => ({ query: 'format=json' }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.impact_reported'],
      check(res, c) {
        expect(res.body).toMatchObject({ type: 'custos.token-impact.v1', token: { id: fixtureOf(c).id }, exposure: { startedBy: 'issuance', endedBy: 'now' } });
        expect(res.headers.get('x-custos-signature')).toMatch(/^[\w-]+\.\.[\w-]+$/);
      },
    },
    invalid: { request: () => ({ query: 'format=docx&from=yesterday&colour=red' }), fields: ['format', 'from', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/leaks',
    access: { public: 'presenting a leaked token is the proof; whoever found it may report it' },
    secretFields: ['token'],
    object: TOKEN,
    valid: (c) => ({ body: { token: fixtureOf(c).secret, url: 'https://paste.example/route-security', source: 'route security suite' } }),
    success: {
      status: 202,
      as: ['anonymous'],
      audit: ['token.leak_reported', 'token.revoked', 'alert.raised'],
      async check(res, c) {
        expect(res.body).toEqual({ status: 'received' });
        expect(c.after.alerts).toBe(c.before.alerts + 1);
        const token = await c.world.aKey.get<{ status: string }>(`/v1/tokens/${fixtureOf(c).id}`);
        expect(token.body.status).toBe('revoked');
      },
    },
    invalid: { request: () => ({ body: { token: 42, url: 7, colour: 'red' } }), fields: ['token', 'url', 'colour'] },
    crossTenant: { notApplicable: 'public; the token names its own tenant, and reporting it is what anyone may do' },
  },
  {
    method: 'POST',
    path: '/v1/secret-scanning/github',
    access: { public: "GitHub's secret scanning, authenticated by its signature over the body instead of a Custos credential" },
    object: TOKEN,
    signBody: githubSignatureHeaders,
    valid: (c) => {
      const body = [{ token: fixtureOf(c).secret, type: 'custos_api_token', url: 'https://github.com/octo/repo/blob/1/.env', source: 'content' }];
      return { body, headers: githubSignatureHeaders(JSON.stringify(body)) };
    },
    success: {
      status: 200,
      as: ['anonymous'],
      audit: ['token.leak_reported', 'token.revoked', 'alert.raised'],
      check(res, c) {
        expect(res.body).toEqual([{ token_raw: fixtureOf(c).secret, token_type: 'custos_api_token', label: 'true_positive' }]);
      },
    },
    invalid: { notApplicable: 'a request that is not signed by GitHub is refused 401 before its body is read (alerts.e2e-spec)' },
    crossTenant: { notApplicable: 'public; the token names its own tenant' },
    text: { notApplicable: "its body is GitHub's, signed byte for byte: a changed string fails the signature (401) before any text rule" },
  },
];
