import type { RouteSpec } from './route-spec';
import { BOTH, fixtureOf, TOKEN } from './shared';

/** The routes of services that verify in their own process (the SDK): the events feed and usage reports. */
export const EVENT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/events/stream',
    access: { scope: 'custos:tokens:verify' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res) {
        // A stream's answer is its first event (ApiClient reads it, then hangs up): the heartbeat sent at once.
        expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(res.body).toMatch(/^\n?event: heartbeat\nid: \d+-\d+\ndata: \{"at":"[^"]+"\}\n\n$/);
      },
    },
    invalid: { notApplicable: 'takes no body and no query; an unknown Last-Event-ID is answered with a reset event, not an error' },
    crossTenant: { notApplicable: "names no object: the feed is the caller's tenant's (events-feed.e2e-spec shows a stranger hears none of A's changes)" },
    text: { notApplicable: 'carries no text but the Last-Event-ID header, which is compared, never stored' },
  },
  {
    method: 'POST',
    path: '/v1/usage/report',
    access: { scope: 'custos:tokens:verify' },
    object: TOKEN,
    valid: (c) => ({ body: { uses: [{ tokenId: fixtureOf(c).id, code: 'VALID', resource: '/orders/1', scopes: ['orders:read'] }] } }),
    success: {
      status: 202,
      as: BOTH,
      audit: [],
      check(res) {
        expect(res.body).toEqual({ accepted: 1, ignored: 0 });
      },
    },
    invalid: {
      request: () => ({ body: { uses: [{ tokenId: 42, at: 'yesterday', code: 'MAYBE', ip: 'not-an-ip' }], colour: 'red' } }),
      fields: ['uses.0.tokenId', 'uses.0.at', 'uses.0.code', 'uses.0.ip', 'colour'],
    },
    crossTenant: { kind: 'object', outcome: { status: 202, body: { accepted: 0, ignored: 1 } } },
  },
];
