import { Test, type TestingModule } from '@nestjs/testing';
import type { UsageEvent } from '@custos/domain';
import { Database, PersistenceModule, UsageEventRepository } from '@custos/persistence';
import { auditRowsOf, createTenant, insertTokenRow, setAlertRules, storedAlerts, tokenRowsOf, usageEvent, useMediumDatabase } from '@custos/fixtures';
import { AuditLog } from '../audit/audit-log';
import { AuditSealer } from '../audit/audit-sealer';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';
import { USAGE_SETTINGS } from '../usage/usage-settings';
import { UsageEventWriter } from '../usage/usage-event-writer';
import { TokenCache } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { AlertEvaluator } from './alert-evaluator';
import { AlertRaiser } from './alert-raiser';

const settings: ApplicationSettings = { verifyCacheTtlMs: 30_000, sessionTtlSeconds: 60, usageFlushIntervalMs: 60_000, loginMinResponseMs: 0 };
const HOUR = 3_600_000;

/**
 * The alert rules on the real database, wired as the worker wires them: uses recorded through the usage
 * writer (events and their signal in one transaction), evaluated by the evaluator, alerts raised once per
 * rule and token with their evidence and audit event, and remediation as the policy says.
 */
describe('alert evaluation (real database)', () => {
  const db = useMediumDatabase();
  let app: TestingModule;
  let writer: UsageEventWriter;
  let evaluator: AlertEvaluator;
  let tenantId: string;

  beforeAll(async () => {
    app = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot({ url: process.env.TEST_DATABASE_URL!, poolSize: 4, applicationName: 'custos-alerts-medium' })],
      providers: [
        { provide: APPLICATION_SETTINGS, useValue: settings },
        { provide: USAGE_SETTINGS, useValue: { flushIntervalMs: 60_000, bufferMax: 100_000, batchMax: 5000 } },
        AuditSealer, AuditLog, TokenCache, TokenChanges, UsageEventWriter, AlertRaiser, AlertEvaluator,
      ],
    }).compile();
    writer = app.get(UsageEventWriter);
    evaluator = app.get(AlertEvaluator);
    await app.get(Database).system((tx) => new UsageEventRepository().ensurePartitions(tx, new Date(Date.now() - 9 * 24 * HOUR), new Date()));
  });
  afterAll(async () => {
    await app.get(AuditSealer).drain();
    await app.close();
  });
  beforeEach(async () => {
    tenantId = await createTenant(db, 'alerts');
  });

  /** Uses as the api records them: buffered, then written with their signal. */
  const use = async (...events: Partial<UsageEvent>[]) => {
    for (const e of events) writer.record(usageEvent(tenantId, e));
    await writer.flush();
  };
  /** Uses of the past, without a signal: history the rules compare with, not news. */
  const history = (...events: Partial<UsageEvent>[]) => db.tenant(tenantId, (tx) => new UsageEventRepository().insertBatch(tx, events.map((e) => usageEvent(tenantId, e))));
  const alerts = (rule?: string) => storedAlerts(db, tenantId, rule);
  const setRules = (rules: object, remediateOwnerKeys = false) => setAlertRules(db, tenantId, rules, remediateOwnerKeys);
  const times = (n: number, e: Partial<UsageEvent>) => Array.from({ length: n }, () => ({ ...e }));

  it('raises dead_token_used, cross_border_use and plaintext_transport from one batch, with their evidence (networks only)', async () => {
    const token = (await insertTokenRow(db, tenantId)).id;
    await use(
      { tokenId: token, outcome: 'REVOKED', ipPrefix: '203.0.113.0/24', ipHash: 'h1' },
      { tokenId: token, crossBorder: true, country: 'US', region: 'US', ipPrefix: '8.8.8.0/24', ipHash: 'h2' },
      { tokenId: token, transport: 'http' },
    );
    expect(await evaluator.evaluateTenant(tenantId)).toEqual({ signals: 1, raised: 3 });
    const raised = await alerts();
    expect(raised.map((a) => a.rule).sort()).toEqual(['cross_border_use', 'dead_token_used', 'plaintext_transport']);
    expect(raised.find((a) => a.rule === 'dead_token_used')).toMatchObject({ subject: `token:${token}`, token_id: token, count: '1', evidence: [{ outcome: 'REVOKED', ipPrefix: '203.0.113.0/24' }] });
    expect(raised.find((a) => a.rule === 'cross_border_use')).toMatchObject({ evidence: [{ country: 'US', ipPrefix: '8.8.8.0/24' }] });
    expect(JSON.stringify(raised)).not.toMatch(/\d+\.\d+\.\d+\.\d+(?!\/)/);
    expect((await auditRowsOf(db, tenantId, 'alert.raised')).map((e) => e.data.rule).sort()).toEqual(['cross_border_use', 'dead_token_used', 'plaintext_transport']);
  });

  it('adds repeats to the open alert instead of raising another, and evaluates each signal once', async () => {
    const token = (await insertTokenRow(db, tenantId)).id;
    await use({ tokenId: token, outcome: 'EXPIRED' });
    await use({ tokenId: token, outcome: 'EXPIRED' }, { tokenId: token, outcome: 'EXPIRED' });
    await Promise.all([evaluator.evaluateTenant(tenantId), evaluator.evaluateTenant(tenantId)]);
    expect(await evaluator.evaluateTenant(tenantId)).toEqual({ signals: 0, raised: 0 });
    const [alert] = await alerts('dead_token_used');
    expect(alert).toMatchObject({ count: '3' });
    expect(await alerts('dead_token_used')).toHaveLength(1);
    expect(await auditRowsOf(db, tenantId, 'alert.raised')).toHaveLength(1);
  });

  it('raises new_country for a country the token was not used from in 30 days, but not for its first uses', async () => {
    const known = (await insertTokenRow(db, tenantId)).id;
    const fresh = (await insertTokenRow(db, tenantId)).id;
    await history({ tokenId: known, country: 'DE', occurredAt: new Date(Date.now() - 2 * HOUR) });
    await use({ tokenId: known, country: 'DE' }, { tokenId: known, country: 'BR', region: 'LATAM' }, { tokenId: fresh, country: 'FR' });
    await evaluator.evaluateTenant(tenantId);
    expect(await alerts('new_country')).toEqual([expect.objectContaining({ token_id: known, details: { countries: ['BR'], lookbackDays: 30 } })]);
  });

  it('raises usage_spike when a token with a day of history is used far above its baseline', async () => {
    const steady = (await insertTokenRow(db, tenantId)).id;
    const newcomer = (await insertTokenRow(db, tenantId)).id;
    await history(...times(20, { tokenId: steady, occurredAt: new Date(Date.now() - 30 * HOUR) }));
    await use(...times(150, { tokenId: steady }), ...times(150, { tokenId: newcomer }));
    await evaluator.evaluateTenant(tenantId);
    const [spike, ...others] = await alerts('usage_spike');
    expect(others).toEqual([]);
    expect(spike).toMatchObject({ token_id: steady, details: { uses: 150, factor: 10, windowSeconds: 300 } });
  });

  it('raises brute_force for a caller answered MALFORMED or NOT_FOUND 20 times in a minute', async () => {
    const caller = (await insertTokenRow(db, tenantId, { scopes: ['custos:tokens:verify'] })).id;
    await use(...times(19, { callerId: caller, outcome: 'NOT_FOUND', ipPrefix: '198.51.100.0/24' }));
    await evaluator.evaluateTenant(tenantId);
    expect(await alerts('brute_force')).toEqual([]);
    await use({ callerId: caller, outcome: 'MALFORMED', ipPrefix: '198.51.100.0/24' });
    await evaluator.evaluateTenant(tenantId);
    const raised = await alerts('brute_force');
    expect(raised.map((a) => a.subject).sort()).toEqual([`caller:${caller}`, 'network:198.51.100.0/24']);
    expect(raised.find((a) => a.subject.startsWith('caller:'))).toMatchObject({ token_id: caller, details: { failures: 20, threshold: 20 } });
  });

  it('raises rate_limited_repeatedly when a token is over its limit in 3 of its windows', async () => {
    const token = (await insertTokenRow(db, tenantId, { rateLimit: { limit: 10, windowSeconds: 60 } })).id;
    const minute = 60_000;
    const start = Math.floor(Date.now() / minute) * minute;
    await use({ tokenId: token, outcome: 'RATE_LIMITED', occurredAt: new Date(start - 2 * minute + 5) }, { tokenId: token, outcome: 'RATE_LIMITED', occurredAt: new Date(start - minute + 5) });
    await evaluator.evaluateTenant(tenantId);
    expect(await alerts('rate_limited_repeatedly')).toEqual([]);
    await use({ tokenId: token, outcome: 'RATE_LIMITED', occurredAt: new Date(start + 5) });
    await evaluator.evaluateTenant(tenantId);
    expect(await alerts('rate_limited_repeatedly')).toEqual([expect.objectContaining({ token_id: token, details: expect.objectContaining({ windowsOverLimit: 3 }) })]);
  });

  it('raises nothing for a rule the policy switched off', async () => {
    await setRules({ dead_token_used: { enabled: false } });
    const token = (await insertTokenRow(db, tenantId)).id;
    await use({ tokenId: token, outcome: 'REVOKED' });
    expect(await evaluator.evaluateTenant(tenantId)).toEqual({ signals: 1, raised: 0 });
  });

  it('remediates as the rule says, in the alert\'s transaction, but leaves a key that administers the tenant alone unless the policy allows it', async () => {
    await setRules({ many_networks: { threshold: 2, remediation: 'revoke' } });
    const plain = (await insertTokenRow(db, tenantId)).id;
    const admin = (await insertTokenRow(db, tenantId, { scopes: ['custos:policy:write', 'custos:tokens:issue'] })).id;
    const fromThree = (tokenId: string) => [1, 2, 3].map((n) => ({ tokenId, ipHash: `h${n}`, ipPrefix: `192.0.2.0/24` }));
    await use(...fromThree(plain), ...fromThree(admin));
    await evaluator.evaluateTenant(tenantId);
    const byToken = new Map((await alerts('many_networks')).map((a) => [a.token_id, a]));
    expect(byToken.get(plain)).toMatchObject({ remediation: { action: 'revoke' }, details: { networks: 3, threshold: 2 } });
    expect(byToken.get(admin)).toMatchObject({ remediation: { action: 'none', skipped: 'owner_service_key' } });
    const tokens = await tokenRowsOf(db, tenantId);
    expect([tokens.get(plain)!.status, tokens.get(admin)!.status]).toEqual(['revoked', 'active']);
    const revoked = await auditRowsOf(db, tenantId, 'token.revoked');
    expect(revoked).toEqual([expect.objectContaining({ targetId: plain, actorType: 'system', data: expect.objectContaining({ remediation: true }) })]);
    expect(String(revoked[0]!.data.reason)).toContain(`alert ${byToken.get(plain)!.id}`);

    await setRules({ many_networks: { threshold: 2, remediation: 'suspend' } }, true);
    const second = (await insertTokenRow(db, tenantId, { scopes: ['custos:users:write'] })).id;
    await use(...fromThree(second));
    await evaluator.evaluateTenant(tenantId);
    expect((await tokenRowsOf(db, tenantId)).get(second)!.status).toBe('suspended');
  });
});
