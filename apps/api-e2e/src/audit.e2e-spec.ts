import { randomUUID } from 'node:crypto';
import {
  ApiClient,
  PASSWORD,
  invitedUser,
  asOwner,
  auditEvents,
  collectPages,
  createService,
  issueToken,
  login,
  serviceKey,
  signupTenant,
  uniqueEmail,
  verifyAuditChain,
  type AuditEventBody,
  type IssuedBody,
  type TestTenant,
} from '@custos/testing';

/**
 * The audit trail over HTTP: every state change leaves its event, the trail can be filtered and paged,
 * it never holds a secret, and GET /v1/audit-events/verify notices an event changed behind the api.
 */
interface Problem {
  code: string;
  errors?: Array<{ field: string }>;
}

describe('audit trail over HTTP', () => {
  const api = ApiClient.fromEnv();

  describe('every state change writes its event', () => {
    let tenant: TestTenant;
    let all: AuditEventBody[];
    const expected: Array<{ action: string; targetId: string }> = [];
    const ids: Record<string, string> = {};
    let revokeRequestId: string;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Audited');
      const owner = tenant.owner;
      const ok = async <T>(res: Promise<{ status: number; body: T; headers: Headers }>, status = 200) => {
        const r = await res;
        if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
        return r;
      };
      const expect_ = (action: string, targetId: string) => expected.push({ action, targetId });

      const service = await createService(owner, { allowedScopes: ['orders:read'] });
      expect_('service.created', service.id);
      await ok(owner.patch(`/v1/services/${service.id}`, { allowedScopes: ['orders:read', 'orders:write'] }));
      expect_('service.updated', service.id);
      await ok(owner.put('/v1/policy', { maxLifetimeSeconds: 86400, defaultRotationIntervalSeconds: null, defaultGracePeriodSeconds: 600, disableUnusedAfterDays: 30 }));
      expect_('policy.updated', tenant.tenantId);

      const t1 = (await issueToken(owner, { ownerServiceId: service.id })).token.id;
      expect_('token.issued', t1);
      await ok(owner.patch(`/v1/tokens/${t1}`, { name: 'renamed' }));
      expect_('token.updated', t1);
      await ok(owner.post(`/v1/tokens/${t1}/suspend`, { reason: 'check' }));
      expect_('token.suspended', t1);
      await ok(owner.post(`/v1/tokens/${t1}/resume`, {}));
      expect_('token.resumed', t1);
      const t2 = (await ok(owner.post<IssuedBody>(`/v1/tokens/${t1}/rotate`, {}), 201)).body.token.id;
      expect_('token.rotated', t1);
      expect_('token.issued', t2);
      revokeRequestId = (await ok(owner.post(`/v1/tokens/${t2}/revoke`, { reason: 'single' }))).headers.get('x-request-id')!;
      expect_('token.revoked', t2);
      const t3 = (await issueToken(owner)).token.id;
      const t4 = (await issueToken(owner)).token.id;
      expect_('token.issued', t3);
      expect_('token.issued', t4);
      await ok(owner.post('/v1/tokens/revoke', { ids: [t3, t4], reason: 'bulk' }));
      expect_('token.revoked', t3);
      expect_('token.revoked', t4);

      // People join by invitation: the owner invites, the person accepts (and so is the author of their account) and is signed in.
      const user = await invitedUser(owner, 'viewer');
      expect_('invitation.created', user.invitationId);
      expect_('invitation.accepted', user.invitationId);
      expect_('user.created', user.id);
      expect_('auth.login_succeeded', user.id);
      await ok(owner.patch(`/v1/users/${user.id}`, { role: 'auditor' }));
      expect_('user.role_changed', user.id);
      await ok(user.client.post('/v1/auth/logout', {}), 204);
      expect_('auth.logout', user.id);
      await ok(owner.delete(`/v1/users/${user.id}`), 204);
      expect_('user.removed', user.id);
      Object.assign(ids, { service: service.id, t1, t2, t3, t4, user: user.id });

      all = await auditEvents(owner);
    });

    it('holds one event for each change, in the order they happened', async () => {
      const seen = all.filter((e) => e.action !== 'tenant.created' && !(e.action === 'user.created' && e.targetId === tenant.ownerId));
      // Oldest first, so the order of the list above can be compared with the order of the trail.
      expect([...seen].reverse().map((e) => ({ action: e.action, targetId: e.targetId }))).toEqual(expected);
      const verdict = await verifyAuditChain(tenant.owner);
      expect(verdict).toMatchObject({ valid: true, checkedEvents: all.length, headSeq: all.length });
    });

    it('names who did it, the request it came from, and what changed', () => {
      const byOwner = all.filter((e) => !e.action.startsWith('auth.') && e.action !== 'tenant.created' && e.actorId !== ids.user);
      expect(byOwner.every((e) => e.actorType === 'user' && e.actorId === tenant.ownerId)).toBe(true);
      expect(all.filter((e) => e.actorId === ids.user && !e.action.startsWith('auth.')).map((e) => e.action).sort()).toEqual(['invitation.accepted', 'user.created']);
      expect(all.find((e) => e.action === 'token.revoked' && e.targetId === ids.t2)).toMatchObject({
        requestId: revokeRequestId,
        data: { reason: 'single', from: 'active' },
      });
      const bulk = all.filter((e) => e.action === 'token.revoked' && e.data.reason === 'bulk');
      expect(bulk.map((e) => e.targetId).sort()).toEqual([ids.t3, ids.t4].sort());
      expect(all.find((e) => e.action === 'token.rotated')).toMatchObject({ targetId: ids.t1, data: { successorId: ids.t2 } });
      expect(all.find((e) => e.action === 'token.updated')).toMatchObject({ data: { before: { name: expect.any(String) }, after: { name: 'renamed' } } });
    });

    it('filters by action, actor and target', async () => {
      const revoked = await auditEvents(tenant.owner, 'action=token.revoked');
      expect(revoked.map((e) => e.targetId).sort()).toEqual([ids.t2, ids.t3, ids.t4].sort());
      const byOwner = await auditEvents(tenant.owner, `actor=${tenant.ownerId}`);
      expect(byOwner.map((e) => e.seq)).toEqual(all.filter((e) => e.actorId === tenant.ownerId).map((e) => e.seq));
      expect(byOwner.length).toBeLessThan(all.length);
      const onT1 = await auditEvents(tenant.owner, `target=${ids.t1}`);
      expect(onT1.map((e) => e.action)).toEqual(['token.rotated', 'token.resumed', 'token.suspended', 'token.updated', 'token.issued']);
      const both = await auditEvents(tenant.owner, `action=token.issued&target=${ids.t1}`);
      expect(both.map((e) => e.targetId)).toEqual([ids.t1]);
    });

    it('filters by time: from is inclusive, to is exclusive', async () => {
      const chronological = [...all].reverse();
      const from = chronological.find((e) => e.action === 'token.updated')!.occurredAt;
      const to = chronological.find((e) => e.action === 'token.revoked')!.occurredAt;
      const inWindow = await auditEvents(tenant.owner, `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      const want = all.filter((e) => e.occurredAt >= from && e.occurredAt < to);
      expect(inWindow.map((e) => e.seq)).toEqual(want.map((e) => e.seq));
      expect(inWindow.map((e) => e.action)).toEqual(expect.arrayContaining(['token.updated', 'token.rotated']));
      expect(inWindow.map((e) => e.action)).not.toContain('token.revoked');
    });

    it('pages with limit and nextCursor, newest first, each event exactly once', async () => {
      const walked = await collectPages<AuditEventBody>(tenant.owner, '/v1/audit-events', 4);
      expect(walked.items.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
      expect(walked.pages).toBe(Math.ceil(all.length / 4));
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: all.length }, (_, i) => all.length - i));
      const filtered = await collectPages<AuditEventBody>(tenant.owner, '/v1/audit-events?action=token.revoked', 1);
      expect(filtered.pages).toBe(3);
      const bad = await tenant.owner.get<Problem>('/v1/audit-events?cursor=bogus');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('no secret in the trail', () => {
    it('never records a token secret, a password or the session cookie', async () => {
      const tenant = await signupTenant(api, 'Secrets');
      const secrets: string[] = [];
      const key = await serviceKey(tenant, ['custos:tokens:issue', 'custos:tokens:rotate', 'custos:tokens:read', 'custos:audit:read']);
      secrets.push(key.issued.secret);
      const issued = await Promise.all([issueToken(tenant.owner), issueToken(key.client, { metadata: { team: 'orders' } })]);
      secrets.push(...issued.map((i) => i.secret));
      for (const i of issued) {
        const rotated = await key.client.post<IssuedBody>(`/v1/tokens/${i.token.id}/rotate`, {});
        expect(rotated.status).toBe(201);
        secrets.push(rotated.body.secret);
      }
      const password = `pw-${randomUUID()}`;
      const email = uniqueEmail('secret');
      expect((await tenant.owner.post('/v1/users', { email, password, role: 'viewer' })).status).toBe(201);
      const session = await login(api, email, password);
      const cookieValue = session.auth.cookie!.split('=')[1]!;
      const ownerCookieValue = tenant.owner.auth.cookie!.split('=')[1]!;
      expect((await api.anonymous().post('/v1/auth/login', { email, password: `${password}-wrong` })).status).toBe(401);

      // The secret part alone (after cus_<env>_ and the public lookup id) must not appear either.
      const needles = [
        ...secrets,
        ...secrets.map((s) => s.slice('cus_live_'.length + 12, -6)),
        password,
        cookieValue,
        ownerCookieValue,
        session.auth.csrfToken!,
        PASSWORD,
      ];
      const events = await auditEvents(tenant.owner);
      expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['token.issued', 'token.rotated', 'auth.login_failed', 'auth.login_succeeded']));
      const asJson = JSON.stringify(events);
      const stored = await asOwner(async (db) =>
        JSON.stringify((await db.query(`SELECT * FROM audit_events WHERE tenant_id = $1`, [tenant.tenantId])).rows),
      );
      for (const needle of needles) {
        expect(asJson).not.toContain(needle);
        expect(stored).not.toContain(needle);
      }
    });
  });

  describe('tamper evidence', () => {
    let tenant: TestTenant;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Tamper');
      await issueToken(tenant.owner, { name: 'first' });
      await issueToken(tenant.owner, { name: 'second' });
      await issueToken(tenant.owner, { name: 'third' });
    });

    it('refuses to change or delete an event, even for the database owner', async () => {
      const before = await verifyAuditChain(tenant.owner);
      expect(before.valid).toBe(true);
      await asOwner(async (db) => {
        await expect(
          db.query(`UPDATE audit_events SET data = '{}' WHERE tenant_id = $1 AND seq = 1`, [tenant.tenantId]),
        ).rejects.toThrow(/append-only/);
        await expect(db.query(`DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 1`, [tenant.tenantId])).rejects.toThrow(/append-only/);
      });
      expect(await verifyAuditChain(tenant.owner)).toEqual(before);
    });

    it('reports the first changed event when one is altered behind the api', async () => {
      const other = await signupTenant(api, 'Bystander');
      expect((await verifyAuditChain(tenant.owner)).valid).toBe(true);
      const target = (await auditEvents(tenant.owner, 'action=token.issued')).find((e) => e.data.name === 'second')!;
      const total = (await auditEvents(tenant.owner)).length;
      expect(target.seq).toBeLessThan(total);

      await asOwner(async (db) => {
        try {
          await db.query('BEGIN');
          await db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
          const changed = await db.query(
            `UPDATE audit_events SET data = jsonb_set(data, '{name}', '"innocent"') WHERE tenant_id = $1 AND seq = $2`,
            [tenant.tenantId, target.seq],
          );
          expect(changed.rowCount).toBe(1);
          await db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
          await db.query('COMMIT');
        } catch (error) {
          await db.query('ROLLBACK');
          throw error;
        } finally {
          await db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
        }
      });

      const verdict = await verifyAuditChain(tenant.owner);
      expect(verdict).toMatchObject({ valid: false, firstInvalidSeq: target.seq });
      // Another tenant's chain is not affected.
      expect((await verifyAuditChain(other.owner)).valid).toBe(true);
    });
  });
});
