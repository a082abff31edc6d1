import { createTenant, uniqueId, useMediumDatabase } from '@custos/fixtures';
import { InstallationRepository } from '@custos/persistence';
import type { ApplicationSettings } from '../shared/settings';
import { InstallationService } from './installation.service';

/**
 * What spans tenants, on the run's database. The installation row is shared by the whole run (the api
 * under test bootstraps it), so these tests only read it.
 */
describe('InstallationService (medium)', () => {
  const db = useMediumDatabase();
  const repository = new InstallationRepository();
  const settings: ApplicationSettings = { sessionTtlSeconds: 60, verifyCacheTtlMs: 0, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 };
  const installation = (overrides: Partial<ApplicationSettings> = {}) => new InstallationService(db, { ...settings, ...overrides }, repository);

  let tenantId: string;
  beforeAll(async () => {
    tenantId = await createTenant(db);
  });

  it('knows the tenants of this database, and no other or malformed id', async () => {
    const service = installation();
    expect(await service.knowsTenant(tenantId)).toBe(true);
    expect(await service.knowsTenant(uniqueId('ten'))).toBe(false);
    expect(await service.knowsTenant("ten_x'; SELECT 1; --")).toBe(false);
    expect(await service.knowsTenant(42)).toBe(false);
  });

  it('takes the configured operator tenant over whatever the database names', async () => {
    expect(await installation({ operatorTenantId: tenantId }).operatorTenantId()).toBe(tenantId);
  });

  it('otherwise names the tenant the installation row names; in embedded mode the first tenant when it names none', async () => {
    const named = await db.system((tx) => repository.operatorTenantId(tx));
    const first = await db.system((tx) => repository.firstTenantId(tx));

    expect(await installation().operatorTenantId()).toBe(named);
    const embedded = await installation({ firstSignupRunsInstallation: true }).operatorTenantId();
    expect(embedded).toBe(named ?? first);
    expect(embedded).not.toBeNull();
  });
});
