import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AuditQuery, AuditSealer, SigningKeys, TokenSweeper, type Principal } from '@custos/application';
import { RedisKeys } from '@custos/contracts';
import { generateToken } from '@custos/domain';
import { ActorRepository, AuditChainRepository, AuditEventRepository, Database } from '@custos/persistence';
import { testConfig } from '@custos/testing';
import { LifecycleModule } from './lifecycle.module';

async function lifecycleContext(): Promise<INestApplicationContext> {
  const config = await testConfig({ DATABASE_POOL_SIZE: '3' });
  return NestFactory.createApplicationContext(LifecycleModule.forRoot(config, new RedisKeys(`{custos-sweeps-${randomBytes(4).toString('hex')}}`)), { logger: false });
}

// @runsAlone: it runs the worker's sweeps in this process over every tenant of the run's database (npm test runs it after the rest, by itself).
/**
 * Tokens die, warn and rotate on time: each due token is handled once, with its audit events, however
 * many workers sweep at the same moment. Sweeps cover every tenant of the shared test database; each
 * test checks its own tenant's rows.
 */
describe('token sweeps', () => {
  let contexts: INestApplicationContext[] = [];
  let sweepers: [TokenSweeper, TokenSweeper];
  let db: Database;

  beforeAll(async () => {
    contexts = await Promise.all([lifecycleContext(), lifecycleContext()]);
    sweepers = [contexts[0]!.get(TokenSweeper), contexts[1]!.get(TokenSweeper)];
    db = contexts[0]!.get(Database);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
  });

  async function newTenant(policy: { disableUnusedAfterDays?: number } = {}): Promise<string> {
    const tenantId = `ten_sweep_${randomBytes(4).toString('hex')}`;
    await db.tenant(tenantId, async (tx) => {
      await tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, 'sweeps')`, [tenantId]);
      await tx.rows(`INSERT INTO tenant_policies (tenant_id, disable_unused_after_days) VALUES ($1, $2)`, [
        tenantId,
        policy.disableUnusedAfterDays ?? 90,
      ]);
    });
    return tenantId;
  }

  /** Intervals are SQL, relative to now: '-1 minute', '8 days'. */
  async function insertToken(
    tenantId: string,
    id: string,
    t: { status?: string; createdAgo?: string; expiresIn: string; graceEndsIn?: string; lastUsedAgo?: string; rotateIn?: string },
  ): Promise<void> {
    await db.tenant(tenantId, (tx) =>
      tx.rows(
        `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4, scopes,
                             status, created_at, expires_at, grace_ends_at, last_used_at, rotation_interval_seconds,
                             next_rotation_at, root_id)
         VALUES ($1, $2, $2, 'live', 'api', $3, 'ab', 'p1', 'abcd', '{orders:read}', $4, now() - $5::interval,
                 now() + $6::interval, now() + $7::interval, now() - $8::interval,
                 CASE WHEN $9::interval IS NULL THEN NULL ELSE 3600 END, now() + $9::interval, $2)`,
        [tenantId, id, generateToken('live').lookupId, t.status ?? 'active', t.createdAgo ?? '0', t.expiresIn,
          t.graceEndsIn ?? null, t.lastUsedAgo ?? null, t.rotateIn ?? null],
      ),
    );
  }

  const statusOf = async (tenantId: string): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await db.tenant(tenantId, (tx) => tx.rows<{ id: string; status: string }>(`SELECT id, status FROM tokens`))).map((r) => [r.id, r.status]),
    );
  const eventsOf = (tenantId: string, action: string) =>
    db.tenant(tenantId, (tx) =>
      tx.rows<{ target_id: string; actor_type: string; data: Record<string, unknown> }>(
        `SELECT target_id, actor_type, data FROM audit_events WHERE action = $1 ORDER BY id`,
        [action],
      ),
    );
  const sweepBoth = (kind: Parameters<TokenSweeper['sweep']>[0], batch?: number) =>
    Promise.all(sweepers.map((s) => s.sweep(kind, batch)));

  describe('expiry and grace end', () => {
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await newTenant();
      for (let i = 0; i < 7; i++) await insertToken(tenantId, `tok_due_${i}`, { expiresIn: '-1 minute' });
      await insertToken(tenantId, 'tok_due_suspended', { status: 'suspended', expiresIn: '-1 second' });
      await insertToken(tenantId, 'tok_alive', { expiresIn: '1 hour' });
      await insertToken(tenantId, 'tok_grace_over', { status: 'rotating', expiresIn: '1 hour', graceEndsIn: '-1 second' });
      await insertToken(tenantId, 'tok_grace_running', { status: 'rotating', expiresIn: '1 hour', graceEndsIn: '1 hour' });
      // An event committed but not yet sealed (its writer crashed before sealing): the sweep's own
      // events are sealed as written, and this one must still join the chain afterwards.
      await db.tenant(tenantId, (tx) =>
        tx.rows(`INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type) VALUES ($1, now(), 'policy.updated', 'user')`, [tenantId]),
      );
    });

    it('expires every due token exactly once when two workers sweep at the same time', async () => {
      await sweepBoth('expire', 2);
      const statuses = await statusOf(tenantId);
      for (let i = 0; i < 7; i++) expect(statuses[`tok_due_${i}`]).toBe('expired');
      expect(statuses).toMatchObject({ tok_due_suspended: 'expired', tok_alive: 'active', tok_grace_running: 'rotating' });
      const events = await eventsOf(tenantId, 'token.expired');
      expect(events.map((e) => e.target_id).sort()).toEqual([...Array.from({ length: 7 }, (_, i) => `tok_due_${i}`), 'tok_due_suspended'].sort());
      expect(events.find((e) => e.target_id === 'tok_due_suspended')?.data).toMatchObject({ from: 'suspended' });
      expect(new Set(events.map((e) => e.actor_type))).toEqual(new Set(['system']));
    });

    it('is idempotent: a second sweep changes nothing more', async () => {
      await sweepers[0].sweep('expire');
      expect(await eventsOf(tenantId, 'token.expired')).toHaveLength(8);
    });

    it('leaves a hash chain that verifies, with every event sealed as it was written', async () => {
      const unsealed = await db.tenant(tenantId, (tx) => tx.rows<{ action: string }>(`SELECT action FROM audit_events WHERE seq IS NULL`));
      expect(unsealed.map((e) => e.action)).toEqual(['policy.updated']);
      const auditor: Principal = {
        tenantId, kind: 'user', id: 'usr_auditor', email: null, name: null, scopes: ['custos:audit:read'], role: 'auditor', ownerServiceId: null, sessionId: null,
      };
      const context = contexts[1]!;
      const query = new AuditQuery(db, context.get(AuditSealer), context.get(SigningKeys), context.get(AuditChainRepository), context.get(AuditEventRepository), context.get(ActorRepository));
      expect(await query.verify(auditor)).toMatchObject({ valid: true, checkedEvents: 9, headSeq: 9 });
    });

    it('ends grace periods that are over, and only those', async () => {
      await sweepBoth('grace_end');
      expect(await statusOf(tenantId)).toMatchObject({ tok_grace_over: 'expired', tok_grace_running: 'rotating' });
      expect((await eventsOf(tenantId, 'token.rotation_completed')).map((e) => e.target_id)).toEqual(['tok_grace_over']);
    });
  });

  describe('end of consent windows', () => {
    let tenantId: string;
    const insertConsent = (id: string, endsIn: string, withdrawn = false) =>
      db.tenant(tenantId, (tx) =>
        tx.rows(
          `INSERT INTO consents (tenant_id, id, subject_ref, purpose, data_categories, lawful_basis, jurisdiction, valid_from,
                                 valid_until, withdrawn_at)
           VALUES ($1, $2, 'subj_sweep', 'sweeps', '{personal}', 'consent', 'EU', now() - interval '2 days', now() + $3::interval,
                   CASE WHEN $4 THEN now() END)`,
          [tenantId, id, endsIn, withdrawn],
        ),
      );
    const bind = (tokenId: string, consentId: string) =>
      db.tenant(tenantId, (tx) => tx.rows(`UPDATE tokens SET consent_id = $2, data_categories = '{personal}' WHERE id = $1`, [tokenId, consentId]));

    beforeAll(async () => {
      tenantId = await newTenant();
      await insertConsent('cns_ended', '-1 minute');
      await insertConsent('cns_running', '1 day');
      for (let i = 0; i < 5; i++) {
        await insertToken(tenantId, `tok_ended_${i}`, { expiresIn: '30 days' });
        await bind(`tok_ended_${i}`, 'cns_ended');
      }
      await insertToken(tenantId, 'tok_ended_suspended', { status: 'suspended', expiresIn: '30 days' });
      await bind('tok_ended_suspended', 'cns_ended');
      await insertToken(tenantId, 'tok_ended_revoked', { status: 'revoked', expiresIn: '30 days' });
      await bind('tok_ended_revoked', 'cns_ended');
      await insertToken(tenantId, 'tok_running', { expiresIn: '30 days' });
      await bind('tok_running', 'cns_running');
    });

    it("expires each live token of an ended window exactly once, reason consent_expired, with two workers at it", async () => {
      await sweepBoth('consent_end', 2);
      const statuses = await statusOf(tenantId);
      for (let i = 0; i < 5; i++) expect(statuses[`tok_ended_${i}`]).toBe('expired');
      expect(statuses).toMatchObject({ tok_ended_suspended: 'expired', tok_ended_revoked: 'revoked', tok_running: 'active' });
      const events = await eventsOf(tenantId, 'token.expired');
      expect(events.map((e) => e.target_id).sort()).toEqual([...Array.from({ length: 5 }, (_, i) => `tok_ended_${i}`), 'tok_ended_suspended'].sort());
      for (const e of events) expect(e.data).toMatchObject({ reason: 'consent_expired', consentId: 'cns_ended' });
      expect(events.find((e) => e.target_id === 'tok_ended_suspended')?.data).toMatchObject({ from: 'suspended' });
    });

    it('marks the window swept, so later runs find no work in the tenant', async () => {
      const swept = await db.tenant(tenantId, (tx) => tx.rows<{ id: string }>(`SELECT id FROM consents WHERE expiry_swept_at IS NOT NULL`));
      expect(swept.map((c) => c.id)).toEqual(['cns_ended']);
      const tenants = await db.system((tx) => tx.rows<{ t: string }>(`SELECT custos_tenants_with_ended_consents(1000) AS t`));
      expect(tenants.map((t) => t.t)).not.toContain(tenantId);
      await sweepers[0].sweep('consent_end');
      expect(await eventsOf(tenantId, 'token.expired')).toHaveLength(6);
    });
  });

  describe('scheduled rotation', () => {
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await newTenant();
      for (let i = 0; i < 5; i++) await insertToken(tenantId, `tok_rot_${i}`, { createdAgo: '2 hours', expiresIn: '30 days', rotateIn: '-1 minute' });
      await insertToken(tenantId, 'tok_rot_later', { expiresIn: '30 days', rotateIn: '1 hour' });
      await insertToken(tenantId, 'tok_rot_dead', { expiresIn: '-1 minute', rotateIn: '-1 hour' });
    });

    it('gives each due token exactly one successor, through the manual rotation use case', async () => {
      await sweepBoth('rotate', 2);
      const tokens = await db.tenant(tenantId, (tx) =>
        tx.rows<{ id: string; status: string; rotated_from_id: string | null; created_via: string; next_rotation_at: Date | null }>(
          `SELECT id, status, rotated_from_id, created_via, next_rotation_at FROM tokens`,
        ),
      );
      for (let i = 0; i < 5; i++) {
        expect(tokens.find((t) => t.id === `tok_rot_${i}`)?.status).toBe('rotating');
        const successors = tokens.filter((t) => t.rotated_from_id === `tok_rot_${i}`);
        expect(successors).toHaveLength(1);
        expect(successors[0]).toMatchObject({ status: 'active', created_via: 'rotation' });
        // The successor keeps the rotation interval, so it will be rotated in turn.
        expect(successors[0]!.next_rotation_at!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
      }
      expect(tokens.find((t) => t.id === 'tok_rot_later')?.status).toBe('active');
      expect(tokens.find((t) => t.id === 'tok_rot_dead')?.status).toBe('active');
      expect(tokens.filter((t) => t.rotated_from_id === 'tok_rot_dead' || t.rotated_from_id === 'tok_rot_later')).toHaveLength(0);

      const rotated = await eventsOf(tenantId, 'token.rotated');
      expect(rotated.map((e) => e.target_id).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `tok_rot_${i}`));
      expect(rotated[0]).toMatchObject({ actor_type: 'system', data: { delivery: 'pickup' } });
    });

    it('keeps the successor secret only sealed, never in plaintext, until it is fetched', async () => {
      const pickups = await db.tenant(tenantId, (tx) =>
        tx.rows<{ predecessor_id: string; jwe: string | null; sealed_secret: string | null }>(`SELECT * FROM token_successor_pickups`),
      );
      expect(pickups).toHaveLength(5);
      for (const p of pickups) {
        expect(p.jwe).toBeNull();
        expect(p.sealed_secret).toMatch(/^v1\./);
        expect(p.sealed_secret).not.toMatch(/cus_(live|test)_/);
      }
    });

    it('does not rotate again: a second sweep finds nothing due', async () => {
      await sweepBoth('rotate');
      expect(await eventsOf(tenantId, 'token.rotated')).toHaveLength(5);
    });
  });

  describe('expiring-soon notices', () => {
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await newTenant();
      // Created 30 days ago, expiring in 6 days: the 7-day notice is due, the 1-day one is not yet.
      await insertToken(tenantId, 'tok_in_6_days', { createdAgo: '30 days', expiresIn: '6 days' });
      // Within a day: only the 1-day notice, even though the 7-day one was never sent (a late sweep).
      await insertToken(tenantId, 'tok_in_12_hours', { createdAgo: '30 days', expiresIn: '12 hours' });
      await insertToken(tenantId, 'tok_in_20_days', { createdAgo: '1 day', expiresIn: '20 days' });
      // A three-hour token needs no "expires within a day" notice.
      await insertToken(tenantId, 'tok_short_lived', { createdAgo: '1 hour', expiresIn: '2 hours' });
      // Already past its expiry, not yet swept: too late to announce.
      await insertToken(tenantId, 'tok_already_expired', { createdAgo: '30 days', expiresIn: '-1 hour' });
    });

    it('sends each due notice once, for the nearest window', async () => {
      await sweepBoth('expiry_notice', 1);
      await sweepBoth('expiry_notice');
      const notices = await eventsOf(tenantId, 'token.expiring');
      expect(notices.map((n) => [n.target_id, n.data.withinDays]).sort()).toEqual([
        ['tok_in_12_hours', 1],
        ['tok_in_6_days', 7],
      ]);
    });

    it('sends the 1-day notice when that day comes, and nothing after', async () => {
      // Five days pass for this token (expiry_notice_at apart, which the trigger would recompute).
      await db.tenant(tenantId, async (tx) => {
        await tx.rows(`UPDATE tokens SET expires_at = now() + interval '20 hours' WHERE id = 'tok_in_6_days'`);
        await tx.rows(`UPDATE tokens SET expiry_notice_at = now() - interval '4 hours' WHERE id = 'tok_in_6_days'`);
      });
      await sweepBoth('expiry_notice');
      await sweepBoth('expiry_notice');
      const notices = (await eventsOf(tenantId, 'token.expiring')).filter((n) => n.target_id === 'tok_in_6_days');
      expect(notices.map((n) => n.data.withinDays)).toEqual([7, 1]);
    });
  });

  describe('unused tokens', () => {
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await newTenant({ disableUnusedAfterDays: 30 });
      await insertToken(tenantId, 'tok_quiet_25d', { createdAgo: '60 days', lastUsedAgo: '25 days', expiresIn: '60 days' });
      await insertToken(tenantId, 'tok_quiet_31d', { createdAgo: '31 days', expiresIn: '60 days' });
      await insertToken(tenantId, 'tok_busy', { createdAgo: '60 days', lastUsedAgo: '1 hour', expiresIn: '60 days' });
      await insertToken(tenantId, 'tok_new', { createdAgo: '2 days', expiresIn: '60 days' });
      // Quiet for long enough, but already past its expiry: the expiry sweep's, not this one's.
      await insertToken(tenantId, 'tok_quiet_expired', { createdAgo: '60 days', expiresIn: '-1 minute' });
    });

    it('warns 7 days before the limit and suspends at it, once each', async () => {
      await sweepBoth('unused');
      await sweepBoth('unused');
      expect((await eventsOf(tenantId, 'token.unused_warning')).map((e) => e.target_id)).toEqual(['tok_quiet_25d']);
      const suspended = await eventsOf(tenantId, 'token.suspended_unused');
      expect(suspended.map((e) => e.target_id)).toEqual(['tok_quiet_31d']);
      expect(suspended[0]?.data).toMatchObject({ disableUnusedAfterDays: 30 });
      expect(await statusOf(tenantId)).toMatchObject({
        tok_quiet_25d: 'active', tok_quiet_31d: 'suspended', tok_busy: 'active', tok_new: 'active', tok_quiet_expired: 'active',
      });
      const reason = await db.tenant(tenantId, (tx) => tx.one<{ suspended_reason: string }>(`SELECT suspended_reason FROM tokens WHERE id = 'tok_quiet_31d'`));
      expect(reason?.suspended_reason).toBe('unused');
    });

    it('warns again only after the token was used and fell quiet again', async () => {
      await sweepBoth('unused');
      expect(await eventsOf(tenantId, 'token.unused_warning')).toHaveLength(1);
      // Warned 30 days ago, used 6 days after that, quiet for 24 days since.
      await db.tenant(tenantId, (tx) =>
        tx.rows(`UPDATE tokens SET unused_warned_at = now() - interval '30 days', last_used_at = now() - interval '24 days'
                  WHERE id = 'tok_quiet_25d'`),
      );
      await sweepBoth('unused');
      await sweepBoth('unused');
      expect((await eventsOf(tenantId, 'token.unused_warning')).map((e) => e.target_id)).toEqual(['tok_quiet_25d', 'tok_quiet_25d']);
    });

    it('a resumed token starts its quiet period afresh', async () => {
      await db.tenant(tenantId, (tx) =>
        tx.rows(`UPDATE tokens SET status = 'active', suspended_at = NULL, suspended_reason = NULL, resumed_at = now()
                  WHERE id = 'tok_quiet_31d'`),
      );
      await sweepBoth('unused');
      expect(await statusOf(tenantId)).toMatchObject({ tok_quiet_31d: 'active' });
      expect(await eventsOf(tenantId, 'token.suspended_unused')).toHaveLength(1);
    });
  });
});
