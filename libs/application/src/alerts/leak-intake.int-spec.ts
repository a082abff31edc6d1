import { Test, type TestingModule } from '@nestjs/testing';
import { TokenHasher } from '@custos/crypto';
import { PersistenceModule } from '@custos/persistence';
import { auditRowsOf, createTenant, insertTokenRow, storedAlerts, tokenRowsOf, useMediumDatabase } from '@custos/fixtures';
import { AuditLog } from '../audit/audit-log';
import { AuditSealer } from '../audit/audit-sealer';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';
import { TokenCache } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { AlertRaiser } from './alert-raiser';
import { LeakIntake } from './leak-intake';

const settings: ApplicationSettings = { verifyCacheTtlMs: 30_000, sessionTtlSeconds: 60, usageFlushIntervalMs: 60_000, loginMinResponseMs: 0 };
const META = { requestId: null, ip: null };

/**
 * Leak reports on the real database: a batch naming tokens of several tenants is judged per token (the
 * checksum, the lookup id, the secret), every live one revoked with its alert whatever it may do, and
 * nothing changes for what is no token of theirs.
 */
describe('leak intake (real database)', () => {
  const db = useMediumDatabase();
  const hasher = new TokenHasher({ id: 'p_leaks', secret: 'a pepper for the medium tests of leak intake' });
  let app: TestingModule;
  let intake: LeakIntake;

  beforeAll(async () => {
    app = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot({ url: process.env.TEST_DATABASE_URL!, poolSize: 2, applicationName: 'custos-leaks-medium' })],
      providers: [
        { provide: APPLICATION_SETTINGS, useValue: settings },
        { provide: TokenHasher, useValue: hasher },
        AuditSealer, AuditLog, TokenCache, TokenChanges, AlertRaiser, LeakIntake,
      ],
    }).compile();
    intake = app.get(LeakIntake);
  });
  afterAll(async () => {
    await app.get(AuditSealer).drain();
    await app.close();
  });

  it('revokes every live token reported, in any tenant, and labels each report', async () => {
    const [a, b] = [await createTenant(db, 'leaks a'), await createTenant(db, 'leaks b')];
    const live = await insertTokenRow(db, a, { hasher });
    const admin = await insertTokenRow(db, a, { hasher, scopes: ['custos:policy:write', 'custos:users:write'] });
    const expired = await insertTokenRow(db, a, { hasher, status: 'expired' });
    const otherTenants = await insertTokenRow(db, b, { hasher });
    // Its lookup id is real, its secret is not the stored one.
    const wrongSecret = await insertTokenRow(db, a);
    const reports = [live.raw, admin.raw, live.raw, expired.raw, otherTenants.raw, wrongSecret.raw, 'cus_live_nothing'].map((token) => ({
      token,
      url: 'https://github.com/o/r/blob/1/.env',
      source: 'content',
    }));

    expect(await intake.report(reports, 'github', META)).toEqual([
      'true_positive', 'true_positive', 'true_positive', 'true_positive', 'true_positive', 'false_positive', 'false_positive',
    ]);
    const statuses = async (tenant: string) => new Map([...(await tokenRowsOf(db, tenant))].map(([id, t]) => [id, t.status]));
    expect(await statuses(a)).toEqual(new Map([[live.id, 'revoked'], [admin.id, 'revoked'], [expired.id, 'expired'], [wrongSecret.id, 'active']]));
    expect((await statuses(b)).get(otherTenants.id)).toBe('revoked');

    const revoked = await auditRowsOf(db, a, 'token.revoked');
    expect(revoked.map((e) => e.targetId).sort()).toEqual([admin.id, live.id].sort());
    expect(revoked[0]!.data).toMatchObject({ reason: expect.stringMatching(/^leaked: https:\/\/github\.com\/o\/r\/blob\/1\/\.env \(alert alr_/) });
    expect((await auditRowsOf(db, a, 'token.leak_reported')).map((e) => e.targetId)).toEqual(expect.arrayContaining([live.id, live.id, admin.id, expired.id]));
    const alerts = await storedAlerts(db, a, 'leaked');
    expect(alerts.map((x) => [x.token_id, x.count, x.remediation?.action ?? null]).sort()).toEqual(
      [[live.id, '2', 'revoke'], [admin.id, '1', 'revoke'], [expired.id, '1', 'none']].sort(),
    );
    expect(JSON.stringify(await auditRowsOf(db, a, 'token.leak_reported'))).not.toContain(live.raw);
  });
});
