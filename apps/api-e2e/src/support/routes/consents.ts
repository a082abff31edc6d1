import type { RouteSpec } from './route-spec';
import { tag, fixtureOf, ids, NO_BODY, CREATES_ONLY, CONSENT, CONSENT_WITH_TOKEN, BOTH } from './shared';

/** The consents routes of the catalogue. */
export const CONSENT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/consents',
    access: { scope: 'custos:consents:write' },
    valid: () => ({
      body: {
        subjectRef: `subj_${tag()}`,
        purpose: 'order-fulfilment',
        dataCategories: ['personal'],
        lawfulBasis: 'consent',
        jurisdiction: 'EU',
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validUntil: new Date(Date.now() + 86400_000).toISOString(),
      },
    }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['consent.created'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: expect.stringMatching(/^cns_/), status: 'active', version: 1, boundTokens: 0 });
        expect(c.after.consents).toBe(c.before.consents + 1);
        expect(c.after.consentVersions).toBe(c.before.consentVersions + 1);
      },
    },
    invalid: {
      request: () => ({
        body: {
          subjectRef: 'jane.doe@example.com',
          purpose: 'Bad Purpose',
          dataCategories: [],
          lawfulBasis: 'whim',
          jurisdiction: 'europe',
          validFrom: 'soon',
          colour: 'red',
        },
      }),
      fields: ['subjectRef', 'purpose', 'dataCategories', 'lawfulBasis', 'jurisdiction', 'validFrom', 'validUntil', 'colour'],
    },
    crossTenant: CREATES_ONLY,
  },
  {
    method: 'GET',
    path: '/v1/consents',
    access: { scope: 'custos:consents:read' },
    object: CONSENT,
    text: { probe: (c) => ({ query: `subjectRef=${fixtureOf(c).name!}&purpose=order-fulfilment&cursor=abc` }) },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
      },
    },
    invalid: { request: () => ({ query: 'limit=0&status=bogus&colour=red' }), fields: ['limit', 'status', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/consents/:id',
    access: { scope: 'custos:consents:read' },
    object: CONSENT_WITH_TOKEN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({
          id: fixtureOf(c).id,
          subjectRef: fixtureOf(c).name,
          versions: [{ version: 1 }],
          tokens: [{ status: 'active', dataCategories: ['personal'] }],
        });
        expect(JSON.stringify(res.body)).not.toMatch(/secret|hash|cus_live_/i);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/consents/:id/withdraw',
    access: { scope: 'custos:consents:write' },
    object: CONSENT_WITH_TOKEN,
    valid: () => ({ body: { reason: 'withdrawn by the data subject' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['consent.withdrawn', 'token.revoked'],
      check(res, c) {
        expect(res.body).toMatchObject({ consent: { id: fixtureOf(c).id, status: 'withdrawn' }, revokedTokens: 1 });
        expect(c.after.withdrawnConsents).toBe(c.before.withdrawnConsents + 1);
      },
    },
    invalid: { request: () => ({ body: { reason: 42, colour: 'red' } }), fields: ['reason', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/consents/:id/renew',
    access: { scope: 'custos:consents:write' },
    object: CONSENT,
    valid: () => ({ body: { validUntil: new Date(Date.now() + 90 * 86400_000).toISOString() } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['consent.renewed'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, version: 2, status: 'active' });
        expect(c.after.consentVersions).toBe(c.before.consentVersions + 1);
      },
    },
    invalid: { request: () => ({ body: { validUntil: 'later', colour: 'red' } }), fields: ['validUntil', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  ...(['', '/export'] as const).map(
    (suffix): RouteSpec => ({
      method: 'GET',
      path: `/v1/subjects/:subjectRef${suffix}`,
      access: { scope: 'custos:consents:read' },
      object: CONSENT_WITH_TOKEN,
      valid: () => ({}),
      success: {
        status: 200,
        as: BOTH,
        // A data subject lookup is itself on the record.
        audit: [suffix ? 'subject.exported' : 'subject.viewed'],
        check(res, c) {
          expect(res.body).toMatchObject({
            subjectRef: fixtureOf(c).name,
            consents: [{ id: fixtureOf(c).id, versions: [{ version: 1 }], tokens: [{ status: 'active' }] }],
            totals: { consents: 1, tokens: 1, uses: 0 },
          });
          if (suffix) expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="custos-subject-.+\.json"$/);
        },
      },
      invalid: { notApplicable: 'takes no body or query; a malformed subjectRef is covered in consents.e2e-spec' },
      crossTenant: {
        kind: 'custom',
        title: "B's key asking for A's subjectRef finds nothing",
        async run(c) {
          const res = await c.world.bKey.get(`/v1/subjects/${encodeURIComponent(fixtureOf(c).name!)}${suffix}`);
          expect(res.status).toBe(200);
          expect(res.body).toMatchObject({ consents: [], totals: { consents: 0, tokens: 0, uses: 0 } });
        },
      },
    }),
  ),
];
