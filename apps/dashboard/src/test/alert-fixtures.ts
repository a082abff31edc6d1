import type { Alert } from '../features/alerts/api/alerts.queries';

/** An open many_networks alert about one token, as GET /v1/alerts/:id sends it; override what a test is about. */
export function alertFixture(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    rule: 'many_networks',
    severity: 'high',
    status: 'open',
    subject: 'token:tok_shared',
    tokenId: 'tok_shared',
    serviceId: null,
    firstSeenAt: '2026-12-02T09:00:00.000Z',
    lastSeenAt: '2026-12-02T09:05:00.000Z',
    count: 14,
    evidence: [
      { at: '2026-12-02T09:05:00.000Z', outcome: 'VALID', ipPrefix: '203.0.113.0/24', country: 'DE', resource: 'orders/list', transport: 'https', callerId: 'tok_caller' },
      { at: '2026-12-02T09:04:00.000Z', outcome: 'VALID', ipPrefix: '198.51.100.0/24', country: null, resource: null, transport: 'http', callerId: null },
    ],
    details: { networks: 12, threshold: 10, windowSeconds: 3600 },
    remediation: null,
    acknowledged: null,
    resolved: null,
    createdAt: '2026-12-02T09:00:01.000Z',
    ...over,
  };
}
