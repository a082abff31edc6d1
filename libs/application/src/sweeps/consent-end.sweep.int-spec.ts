import { setTimeout as sleep } from 'node:timers/promises';
import { CONSENT_EXPIRED_REASON } from '@custos/contracts';
import { auditEventsOn, consentSwept, createTenant, seedBoundToken, seedConsentWindow, tokenStates, useMediumDatabase } from '@custos/fixtures';
import { BoundTokenRepository, ConsentRepository } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import { ConsentEndSweep } from './consent-end.sweep';

/**
 * The end of a consent window on the real database: its live tokens expire once each, with their
 * events. Other workers of the run may sweep this tenant too (they sweep every tenant), so the tests
 * sweep until the consent is marked done and check the rows, not who did the work.
 */
describe('ConsentEndSweep', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  const sweep = new ConsentEndSweep(audit, new ConsentRepository(), new BoundTokenRepository());
  // Seals run after commit without being awaited: none may outlive the test's pool.
  afterEach(() => sealer.drain());

  async function sweepUntilSwept(tenantId: string, consentId: string, limit: number): Promise<void> {
    for (let round = 0; round < 50; round++) {
      if (await consentSwept(db, tenantId, consentId)) return;
      // 0 while another sweeper holds the tenant: give it a moment.
      if ((await db.tenant(tenantId, (tx) => sweep.batch(tx, limit))) === 0) await sleep(50);
    }
    throw new Error(`consent ${consentId} still not swept`);
  }

  const tenantsWithEnded = () => db.system((tx) => sweep.discoverTenants(tx, 100_000));

  it('expires the live tokens of an ended window, reason consent_expired, and leaves windows in force and withdrawn consents alone', async () => {
    const tenantId = await createTenant(db);
    const ended = await seedConsentWindow(db, tenantId, { endsIn: '-1 hour' });
    const inForce = await seedConsentWindow(db, tenantId, { endsIn: '30 days' });
    const withdrawn = await seedConsentWindow(db, tenantId, { endsIn: '-1 hour', withdrawn: true });
    const active = await seedBoundToken(db, tenantId, ended);
    const suspended = await seedBoundToken(db, tenantId, ended, { status: 'suspended' });
    const revoked = await seedBoundToken(db, tenantId, ended, { status: 'revoked' });
    const current = await seedBoundToken(db, tenantId, inForce);
    const underWithdrawn = await seedBoundToken(db, tenantId, withdrawn);
    expect(await tenantsWithEnded()).toContainEqual({ t: tenantId });

    await sweepUntilSwept(tenantId, ended, 5000);

    const states = await tokenStates(db, tenantId, [active.id, suspended.id, revoked.id, current.id, underWithdrawn.id]);
    expect(Object.fromEntries(Object.entries(states).map(([id, s]) => [id, s.status]))).toEqual({
      [active.id]: 'expired',
      [suspended.id]: 'expired',
      [revoked.id]: 'revoked',
      [current.id]: 'active',
      [underWithdrawn.id]: 'active',
    });
    const events = await auditEventsOn(db, tenantId, [active.id, suspended.id, revoked.id, current.id, underWithdrawn.id]);
    expect(events.map((e) => [e.targetId, e.action, e.data]).sort()).toEqual(
      [
        [active.id, 'token.expired', { from: 'active', reason: CONSENT_EXPIRED_REASON, consentId: ended }],
        [suspended.id, 'token.expired', { from: 'suspended', reason: CONSENT_EXPIRED_REASON, consentId: ended }],
      ].sort(),
    );
    expect([await consentSwept(db, tenantId, inForce), await consentSwept(db, tenantId, withdrawn)]).toEqual([false, false]);
    expect(await tenantsWithEnded()).not.toContainEqual({ t: tenantId });
    // Swept: a further batch finds nothing in this tenant.
    expect(await db.tenant(tenantId, (tx) => sweep.batch(tx, 5000))).toBe(0);
  });

  it('in batches smaller than the window, expires every token once and marks the consent swept only when none is left', async () => {
    const tenantId = await createTenant(db);
    const ended = await seedConsentWindow(db, tenantId, { endsIn: '-1 minute' });
    const tokens = [await seedBoundToken(db, tenantId, ended), await seedBoundToken(db, tenantId, ended), await seedBoundToken(db, tenantId, ended)];
    const liveLeft = async () =>
      Object.values(await tokenStates(db, tenantId, tokens.map((t) => t.id))).filter((s) => s.status === 'active').length;

    // One token per batch: a batch that fills its limit leaves the consent for the next.
    const seen: Array<{ handled: number; swept: boolean; live: number }> = [];
    for (let round = 0; round < 50 && !(await consentSwept(db, tenantId, ended)); round++) {
      const handled = await db.tenant(tenantId, (tx) => sweep.batch(tx, 1));
      seen.push({ handled, swept: await consentSwept(db, tenantId, ended), live: await liveLeft() });
      if (handled === 0) await sleep(50);
    }

    expect(seen.at(-1)).toMatchObject({ swept: true, live: 0 });
    expect(seen.filter((s) => s.swept && s.live > 0)).toEqual([]);
    const events = await auditEventsOn(db, tenantId, tokens.map((t) => t.id));
    expect(events.map((e) => [e.targetId, e.action]).sort()).toEqual(tokens.map((t) => [t.id, 'token.expired']).sort());
  });
});
