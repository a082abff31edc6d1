import type { RouteSpec } from './route-spec';
import { BOTH, NO_BODY, TOKEN, fixtureOf, ids } from './shared';

/** The compliance report routes of the catalogue (docs/compliance.md). */

const QUEUED_REPORT: RouteSpec['object'] = { kind: 'report', make: (w) => w.newReport() };
const DONE_REPORT: RouteSpec['object'] = { kind: 'report', make: (w) => w.newReport({ done: true }) };

const period = (): string =>
  `from=${encodeURIComponent(new Date(Date.now() - 7 * 86400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;

export const REPORT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/reports',
    access: { scope: 'custos:reports:write' },
    valid: () => ({
      body: { framework: 'soc2', format: 'csv', from: new Date(Date.now() - 86400_000).toISOString(), to: new Date().toISOString() },
    }),
    success: {
      status: 202,
      as: BOTH,
      audit: ['report.requested'],
      check(res) {
        expect(res.body).toMatchObject({ id: expect.stringMatching(/^rpt_/), status: 'queued', framework: 'soc2', format: 'csv', sha256: null });
      },
    },
    invalid: {
      request: () => ({ body: { framework: 'iso27001', format: 'docx', from: 'soon', colour: 'red' } }),
      fields: ['framework', 'format', 'from', 'to', 'colour'],
    },
    crossTenant: { notApplicable: "creates in the caller's own tenant and names no existing object" },
  },
  {
    method: 'GET',
    path: '/v1/reports',
    access: { scope: 'custos:reports:read' },
    object: QUEUED_REPORT,
    text: { probe: () => ({ query: 'cursor=abc&limit=10' }) },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
      },
    },
    invalid: { request: () => ({ query: 'limit=0&colour=red' }), fields: ['limit', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/reports/:id',
    access: { scope: 'custos:reports:read' },
    object: QUEUED_REPORT,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, framework: 'soc2', format: 'json' });
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/reports/:id/download',
    access: { scope: 'custos:reports:read' },
    object: DONE_REPORT,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: ['report.downloaded'],
      async check(res, c) {
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="custos-soc2-.*-${fixtureOf(c).id}\\.json"$`));
        const sha256 = res.headers.get('x-custos-report-sha256');
        // The client parsed the JSON body; the stored report's digest is the one to match.
        expect(sha256).toBe((await c.client.get<{ sha256: string }>(`/v1/reports/${fixtureOf(c).id}`)).body.sha256);
        expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
        expect(res.headers.get('digest')).toBe(`sha-256=${Buffer.from(sha256!, 'hex').toString('base64')}`);
        expect(res.headers.get('x-custos-signature')).toMatch(/^[\w-]+\.\.[\w-]+$/);
        expect(res.body).toMatchObject({ report: { reportId: fixtureOf(c).id, framework: 'soc2' } });
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/reports/:id/signature',
    access: { scope: 'custos:reports:read' },
    object: DONE_REPORT,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ reportId: fixtureOf(c).id, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), jws: expect.stringMatching(/^[\w-]+\.\.[\w-]+$/) });
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/compliance/controls',
    access: { scope: 'custos:reports:read' },
    object: TOKEN,
    valid: () => ({ query: `framework=soc2&${period()}&evidenceLimit=0` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res) {
        const body = res.body as { framework: string; items: Array<{ id: string; clauses: string[]; evidence: unknown[] }> };
        expect(body.framework).toBe('soc2');
        expect(body.items.map((i) => i.id)).toEqual(expect.arrayContaining(['token-expiry-cap', 'audit-chain-integrity', 'privileged-accounts']));
        expect(body.items.every((i) => i.clauses.length > 0 && i.evidence.length === 0)).toBe(true);
      },
    },
    invalid: { request: () => ({ query: 'framework=iso27001&from=soon&evidenceLimit=-1&colour=red' }), fields: ['framework', 'from', 'to', 'evidenceLimit', 'colour'] },
    crossTenant: {
      kind: 'custom',
      title: "B's control table shows none of A's tokens",
      async run(c) {
        const res = await c.world.bKey.get(`/v1/compliance/controls?framework=soc2&${period()}&evidenceLimit=200`);
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).id);
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/tokens/export',
    searchFields: ['q'],
    access: { scope: 'custos:tokens:read' },
    object: TOKEN,
    valid: (c) => ({ query: `q=${fixtureOf(c).name!}&format=json` }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['tokens.exported'],
      check(res, c) {
        expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="custos-tokens-.*\.json"$/);
        expect(res.body).toEqual([expect.objectContaining({ id: fixtureOf(c).id, name: fixtureOf(c).name })]);
        expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`${fixtureOf(c).secret!}|secretHash|secret_hash|pepper`));
      },
    },
    invalid: { request: () => ({ query: 'format=xml&status=bogus&colour=red' }), fields: ['format', 'status', 'colour'] },
    crossTenant: { kind: 'list', ids: (body) => (body as Array<{ id: string }>).map((t) => t.id), mine: (c) => fixtureOf(c).id },
  },
];
