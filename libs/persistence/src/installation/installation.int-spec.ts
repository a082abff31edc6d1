import { migrationsFrom, upgradedDatabases, type DatabaseBefore } from '../testing/upgraded-database';

/** The migrations an installation had before this one, and those it runs on upgrading. */
const UPGRADE = migrationsFrom('AddInstallation1764900000000');

/**
 * An installation upgraded to this migration: it gets its own random id, and its operator tenant is the
 * one its first start bootstrapped from CUSTOS_ADMIN_EMAIL (found by its tenant.created event), never a
 * tenant that signed up, even one older than the bootstrap.
 */
describe('the installation row, on an upgraded database', () => {
  const databases = upgradedDatabases();
  afterAll(() => databases.dropAll());

  /** A database migrated up to the one before this migration, with these tenants created in order. */
  async function before(tenants: Array<{ id: string; via: 'signup' | 'bootstrap' }>): Promise<DatabaseBefore> {
    const database = await databases.before('AddInstallation1764900000000');
    for (const [i, tenant] of tenants.entries()) {
      await database.query(`INSERT INTO tenants (id, name, created_at) VALUES ($1, $1, now() - make_interval(mins => $2))`, [tenant.id, 100 - i]);
      await database.query(
        `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, target_type, target_id, data)
         VALUES ($1, now() - make_interval(mins => $2), 'tenant.created', 'system', 'tenant', $1, jsonb_build_object('name', $1::text, 'via', $3::text))`,
        [tenant.id, 100 - i, tenant.via],
      );
    }
    return database;
  }

  const installation = (database: DatabaseBefore) => database.query<{ id: string; operator_tenant_id: string | null }>(`SELECT id, operator_tenant_id FROM installation`);

  it('names the bootstrapped tenant the operator, though a sign-up came first', async () => {
    const database = await before([
      { id: 'ten_early_signup', via: 'signup' },
      { id: 'ten_bootstrapped', via: 'bootstrap' },
      { id: 'ten_late_signup', via: 'signup' },
    ]);
    expect(await database.upgrade()).toEqual(UPGRADE);
    expect(await installation(database)).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{32}$/), operator_tenant_id: 'ten_bootstrapped' }]);
  });

  it('names no operator when nothing was bootstrapped, and a distinct id per database', async () => {
    const [first, second] = [await before([{ id: 'ten_only_signups', via: 'signup' }]), await before([])];
    await first.upgrade();
    await second.upgrade();
    const [one, two] = [(await installation(first))[0]!, (await installation(second))[0]!];
    expect(one.operator_tenant_id).toBeNull();
    expect(one.id).not.toBe(two.id);
  });
});
