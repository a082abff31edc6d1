import {
  ApiClient,
  asOwner,
  auditEvents,
  collectPages,
  createConsent,
  createWebhook,
  issueToken,
  serviceKey,
  signupTenant,
  startApi,
  verifyAuditChain,
  verifyToken,
  type ConsentBody,
  type ConsentDetailBody,
  type IssuedBody,
  type RunningApi,
  type TestTenant,
} from '@custos/testing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();

/**
 * Consent windows over HTTP: binding on issue, enforcement on verify (on every instance), withdrawal
 * revoking bound tokens in its own transaction, renewal as a new version, and data subject requests.
 */
describe('consent windows', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;
  let verifier: ApiClient;

  beforeAll(async () => {
    tenant = await signupTenant(api, 'Consents');
    verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
  });

  const consent = (overrides: Record<string, unknown> = {}) => createConsent(tenant.owner, overrides);
  const bound = (c: ConsentBody, overrides: Record<string, unknown> = {}) =>
    issueToken(tenant.owner, { consentId: c.id, dataCategories: ['personal'], ...overrides });
  const codeOf = async (token: IssuedBody, client = verifier) => (await verifyToken(client, token.secret)).code;
  const detail = async (id: string) => (await tenant.owner.get<ConsentDetailBody>(`/v1/consents/${id}`)).body;

  describe('binding on issue', () => {
    it("refuses personal or health data without a consent, under the default policy", async () => {
      const res = await tenant.owner.post('/v1/tokens', {
        name: 'unbound', scopes: ['orders:read'], expiresInSeconds: 3600, dataCategories: ['health'],
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'CONSENT_REQUIRED', errors: [{ field: 'consentId' }] });
      const policy = await tenant.owner.get('/v1/policy');
      expect(policy.body).toMatchObject({ requireConsentFor: ['personal', 'health'] });
    });

    it('allows other data categories without a consent', async () => {
      const issued = await issueToken(tenant.owner, { dataCategories: ['telemetry'] });
      expect(issued.token).toMatchObject({ consentId: null, dataCategories: ['telemetry'] });
      expect(await codeOf(issued)).toBe('VALID');
    });

    it("binds a token to its consent, only within the consent's data categories", async () => {
      const c = await consent({ dataCategories: ['personal'] });
      const issued = await bound(c);
      expect(issued.token).toMatchObject({ consentId: c.id, dataCategories: ['personal'] });
      expect(await codeOf(issued)).toBe('VALID');

      const wider = await tenant.owner.post('/v1/tokens', {
        name: 'wider', scopes: ['orders:read'], expiresInSeconds: 3600, consentId: c.id, dataCategories: ['personal', 'health'],
      });
      expect(wider.status).toBe(400);
      expect(wider.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'dataCategories', message: expect.stringContaining('health') }] });
    });

    it("refuses a consent that is not the tenant's, and one no longer in force", async () => {
      const other = await signupTenant(api, 'Other consents');
      const theirs = await createConsent(other.owner);
      const res = await tenant.owner.post('/v1/tokens', {
        name: 'foreign', scopes: ['orders:read'], expiresInSeconds: 3600, consentId: theirs.id, dataCategories: ['personal'],
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errors: [{ field: 'consentId', message: 'is not a consent of this tenant' }] });

      const c = await consent();
      await tenant.owner.post(`/v1/consents/${c.id}/withdraw`, {});
      const late = await tenant.owner.post('/v1/tokens', {
        name: 'late', scopes: ['orders:read'], expiresInSeconds: 3600, consentId: c.id, dataCategories: ['personal'],
      });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ code: 'CONSENT_INACTIVE' });
    });
  });

  describe('verify', () => {
    it('answers CONSENT_NOT_YET_VALID before the window opens', async () => {
      const c = await consent({ validFrom: inDays(1), validUntil: inDays(2) });
      expect(c.status).toBe('upcoming');
      expect(await codeOf(await bound(c))).toBe('CONSENT_NOT_YET_VALID');
    });

    it('answers CONSENT_EXPIRED from the first second after the window, before any sweep', async () => {
      const c = await consent({ validUntil: new Date(Date.now() + 1500).toISOString() });
      const issued = await bound(c);
      expect(await codeOf(issued)).toBe('VALID');
      await sleep(1600);
      expect(await codeOf(issued)).toBe('CONSENT_EXPIRED');
    });

    it("answers CONSENT_REQUIRED when the policy comes to require a consent the token lacks", async () => {
      const own = await signupTenant(api, 'Policy change');
      const key = (await serviceKey(own, ['custos:tokens:verify'])).client;
      const policy = (await own.owner.get<Record<string, unknown>>('/v1/policy')).body;
      const { updatedAt: _updatedAt, ...body } = policy;
      expect((await own.owner.put('/v1/policy', { ...body, requireConsentFor: [] })).status).toBe(200);
      const issued = await issueToken(own.owner, { dataCategories: ['personal'] });
      expect((await own.owner.put('/v1/policy', { ...body, requireConsentFor: ['personal'] })).status).toBe(200);
      expect(await codeOf(issued, key)).toBe('CONSENT_REQUIRED');
    });

    it('applies a policy that comes to require a consent at once, also to tokens cached by another instance', async () => {
      let other: RunningApi | undefined;
      try {
        other = await startApi();
        const own = await signupTenant(api, 'Policy change, cached');
        const { updatedAt: _updatedAt, ...body } = (await own.owner.get<Record<string, unknown>>('/v1/policy')).body;
        expect((await own.owner.put('/v1/policy', { ...body, requireConsentFor: [] })).status).toBe(200);
        const key = await serviceKey(own, ['custos:tokens:verify']);
        const here = key.client;
        const there = new ApiClient(other.url, { bearer: key.issued.secret });
        const issued = await issueToken(own.owner, { dataCategories: ['marketing'] });
        expect([await codeOf(issued, here), await codeOf(issued, there)]).toEqual(['VALID', 'VALID']);
        expect((await own.owner.put('/v1/policy', { ...body, requireConsentFor: ['marketing'] })).status).toBe(200);
        expect([await codeOf(issued, here), await codeOf(issued, there)]).toEqual(['CONSENT_REQUIRED', 'CONSENT_REQUIRED']);
      } finally {
        await other?.stop();
      }
    });
  });

  describe('withdrawal', () => {
    it('revokes every live bound token in the same transaction, one audit event each, and verify says CONSENT_WITHDRAWN', async () => {
      const c = await consent();
      const tokens = [await bound(c), await bound(c), await bound(c)];
      const alreadyRevoked = tokens[2]!;
      await tenant.owner.post(`/v1/tokens/${alreadyRevoked.token.id}/revoke`, { reason: 'manual' });
      for (const t of tokens.slice(0, 2)) expect(await codeOf(t)).toBe('VALID');

      const res = await tenant.owner.post<{ consent: ConsentBody; revokedTokens: number }>(`/v1/consents/${c.id}/withdraw`, {
        reason: 'the subject withdrew in the privacy centre',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ consent: { status: 'withdrawn', withdrawnReason: 'the subject withdrew in the privacy centre' }, revokedTokens: 2 });
      for (const t of tokens) expect(await codeOf(t)).toBe('CONSENT_WITHDRAWN');

      const after = await detail(c.id);
      expect(after.tokens.map((t) => [t.id, t.status, t.revokedReason])).toEqual([
        [tokens[0]!.token.id, 'revoked', 'consent_withdrawn'],
        [tokens[1]!.token.id, 'revoked', 'consent_withdrawn'],
        [alreadyRevoked.token.id, 'revoked', 'manual'],
      ]);
      const events = await auditEvents(tenant.owner, `target=${c.id}`);
      expect(events.map((e) => e.action)).toEqual(['consent.withdrawn', 'consent.created']);
      const revokedEvents = (await auditEvents(tenant.owner, 'action=token.revoked')).filter((e) => e.data.consentId === c.id);
      expect(revokedEvents.map((e) => e.targetId).sort()).toEqual([tokens[0]!.token.id, tokens[1]!.token.id].sort());
      expect(revokedEvents.every((e) => e.requestId === events[0]!.requestId && e.data.reason === 'consent_withdrawn')).toBe(true);
      expect((await verifyAuditChain(tenant.owner)).valid).toBe(true);
    });

    it('is final: a second withdrawal is a conflict and a renewal is refused', async () => {
      const c = await consent();
      await tenant.owner.post(`/v1/consents/${c.id}/withdraw`, {});
      expect((await tenant.owner.post(`/v1/consents/${c.id}/withdraw`, {})).body).toMatchObject({ code: 'CONFLICT' });
      expect((await tenant.owner.post(`/v1/consents/${c.id}/renew`, { validUntil: inDays(60) })).body).toMatchObject({ code: 'CONSENT_INACTIVE' });
    });

    it('announces consent.withdrawn and token.revoked to webhooks, in the same transaction', async () => {
      const c = await consent();
      const token = await bound(c);
      const { webhook } = await createWebhook(tenant.owner, 'http://127.0.0.1:9/consents', ['consent.withdrawn', 'token.revoked']);
      await tenant.owner.post(`/v1/consents/${c.id}/withdraw`, {});
      const deliveries = await tenant.owner.get<{ items: Array<{ eventType: string; payload?: unknown }> }>(`/v1/webhooks/${webhook.id}/deliveries`);
      expect(deliveries.body.items.map((d) => d.eventType).sort()).toEqual(['consent.withdrawn', 'token.revoked']);
      const { rows } = await asOwner((db) =>
        db.query<{ event_type: string; payload: { data: Record<string, unknown> } }>(
          `SELECT event_type, payload FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY event_type`,
          [webhook.id],
        ),
      );
      expect(rows[0]!.payload.data).toMatchObject({ action: 'consent.withdrawn', consentId: c.id });
      expect(rows[1]!.payload.data).toMatchObject({ tokenId: token.token.id, reason: 'consent_withdrawn', consentId: c.id });
    });

    it('never leaves a token valid when it is issued while its consent is being withdrawn', async () => {
      for (let round = 0; round < 3; round++) {
        const c = await consent();
        const issues = Array.from({ length: 12 }, (_, i) =>
          tenant.owner.post<IssuedBody>('/v1/tokens', {
            name: `race-${round}-${i}`, scopes: ['orders:read'], expiresInSeconds: 3600, consentId: c.id, dataCategories: ['personal'],
          }),
        );
        const withdrawal = tenant.owner.post(`/v1/consents/${c.id}/withdraw`, {});
        const answers = await Promise.all(issues);
        expect((await withdrawal).status).toBe(200);
        for (const res of answers) expect([201, 409]).toContain(res.status);
        const issued = answers.filter((r) => r.status === 201).map((r) => r.body);
        for (const t of issued) expect(await codeOf(t)).toBe('CONSENT_WITHDRAWN');
        const after = await detail(c.id);
        expect(after.tokens.every((t) => t.status === 'revoked')).toBe(true);
        expect(after.tokens).toHaveLength(issued.length);
      }
    });

    it('reaches every instance: a token VALID in another instance’s cache is refused there at once', async () => {
      let other: RunningApi | undefined;
      try {
        other = await startApi();
        const otherVerifier = new ApiClient(other.url, { bearer: (await serviceKey(tenant, ['custos:tokens:verify'])).issued.secret });
        const c = await consent();
        const token = await bound(c);
        expect(await codeOf(token, otherVerifier)).toBe('VALID');
        await tenant.owner.post(`/v1/consents/${c.id}/withdraw`, {});
        expect(await codeOf(token, otherVerifier)).toBe('CONSENT_WITHDRAWN');
      } finally {
        await other?.stop();
      }
    });
  });

  describe('renewal and rotation', () => {
    it('adds a version and keeps the earlier ones; bound tokens follow the new window at once', async () => {
      const c = await consent({ validUntil: new Date(Date.now() + 2000).toISOString() });
      const token = await bound(c);
      expect(await codeOf(token)).toBe('VALID');
      const renewed = await tenant.owner.post<ConsentBody>(`/v1/consents/${c.id}/renew`, { validUntil: inDays(60) });
      expect(renewed.status).toBe(200);
      expect(renewed.body).toMatchObject({ version: 2, validFrom: c.validFrom, validUntil: expect.any(String) });
      await sleep(2100);
      expect(await codeOf(token)).toBe('VALID');
      const versions = (await detail(c.id)).versions;
      expect(versions).toEqual([
        expect.objectContaining({ version: 1, validUntil: c.validUntil, supersedesId: null }),
        expect.objectContaining({ version: 2, validUntil: renewed.body.validUntil, supersedesId: versions[0]!.id }),
      ]);
      const shorter = await tenant.owner.post(`/v1/consents/${c.id}/renew`, { validUntil: inDays(1) });
      expect(shorter.status).toBe(400);
      expect(shorter.body).toMatchObject({ errors: [{ field: 'validUntil' }] });
    });

    it('keeps the binding on rotation and caps the successor at the end of the window', async () => {
      const c = await consent({ validUntil: inDays(2) });
      const token = await bound(c, { expiresInSeconds: 30 * 86400 });
      const res = await tenant.owner.post<IssuedBody>(`/v1/tokens/${token.token.id}/rotate`, { gracePeriodSeconds: 60 });
      expect(res.status).toBe(201);
      expect(res.body.token).toMatchObject({ consentId: c.id, dataCategories: ['personal'], expiresAt: c.validUntil });
    });
  });

  describe('listing and data subject requests', () => {
    it('filters by subject, purpose, status and instant, newest window first, in pages', async () => {
      const subjectRef = `subj_list_${Date.now()}`;
      const past = await consent({ subjectRef, purpose: 'analytics', validFrom: inDays(-10), validUntil: inDays(-5) });
      const current = await consent({ subjectRef, purpose: 'analytics', validFrom: inDays(-1) });
      const future = await consent({ subjectRef, purpose: 'marketing', validFrom: inDays(5), validUntil: inDays(9) });
      const list = async (query: string) =>
        (await tenant.owner.get<{ items: ConsentBody[] }>(`/v1/consents?subjectRef=${subjectRef}&${query}`)).body.items.map((i) => i.id);
      expect(await list('')).toEqual([future.id, current.id, past.id]);
      expect(await list('status=expired')).toEqual([past.id]);
      expect(await list('status=upcoming')).toEqual([future.id]);
      expect(await list('purpose=analytics&status=active')).toEqual([current.id]);
      expect(await list(`validAt=${inDays(-7)}`)).toEqual([past.id]);
      const paged = await collectPages<ConsentBody>(tenant.owner, `/v1/consents?subjectRef=${subjectRef}`, 1);
      expect(paged.items.map((c) => c.id)).toEqual([future.id, current.id, past.id]);
      expect(paged.pages).toBe(3);
    });

    it('answers a subject access request with every consent, version, token and use, and records the lookup', async () => {
      const subjectRef = `subj_dsr_${Date.now()}`;
      const first = await consent({ subjectRef });
      const second = await consent({ subjectRef, purpose: 'support' });
      const t1 = await bound(first);
      await bound(second);
      expect(await codeOf(t1)).toBe('VALID');
      await tenant.owner.post(`/v1/consents/${first.id}/withdraw`, {});
      await sleep(400); // the api flushes usage counts every 200 ms in tests

      const res = await tenant.owner.get<{ consents: ConsentDetailBody[]; totals: Record<string, number> }>(`/v1/subjects/${subjectRef}`);
      expect(res.status).toBe(200);
      expect(res.body.totals).toEqual({ consents: 2, tokens: 2, uses: 1 });
      const withdrawn = res.body.consents.find((c) => c.id === first.id)!;
      expect(withdrawn).toMatchObject({ status: 'withdrawn', tokens: [{ id: t1.token.id, status: 'revoked', revokedAt: expect.any(String), useCount: 1 }] });

      const exported = await tenant.owner.get<{ subjectRef: string }>(`/v1/subjects/${subjectRef}/export`);
      expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="custos-subject-${subjectRef}.json"`);
      expect(exported.body.subjectRef).toBe(subjectRef);
      const lookups = await auditEvents(tenant.owner, `target=${subjectRef}`);
      expect(lookups.map((e) => e.action)).toEqual(['subject.exported', 'subject.viewed']);
    });

    it('refuses an email address or a name as a subjectRef', async () => {
      for (const ref of ['jane.doe@example.com', 'Jane Doe']) {
        const res = await tenant.owner.get(`/v1/subjects/${encodeURIComponent(ref)}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ errors: [{ field: 'subjectRef' }] });
        const create = await tenant.owner.post('/v1/consents', {
          subjectRef: ref, purpose: 'x', dataCategories: ['personal'], lawfulBasis: 'consent', jurisdiction: 'EU',
          validFrom: inDays(0), validUntil: inDays(1),
        });
        expect(create.status).toBe(400);
      }
    });
  });
});
