import { Database } from '../database/database';
import { createDataSource } from '../database/data-source';
import { upgradedDatabases } from '../testing/upgraded-database';
import { ActorRepository } from './actor.repository';

const MIGRATION = 'AddPeopleDirectory1765130000000';

/**
 * The people directory keeps the e-mail of every account a tenant has had, removed ones included, and
 * names service keys by their service; written by the users table's trigger only.
 */
describe('the people directory', () => {
  const db = new Database(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 2 }));
  const actors = new ActorRepository();
  const stamp = Date.now().toString(36);
  const [tenantA, tenantB] = [`ten_people_a_${stamp}`, `ten_people_b_${stamp}`];
  const user = (tenant: string, name: string) => ({ id: `usr_${name}_${stamp}`, email: `${name}.${stamp}@example.test`, tenant });
  const insertUser = (u: ReturnType<typeof user>) =>
    db.tenant(u.tenant, (tx) => tx.rows(`INSERT INTO users (tenant_id, id, email, password_hash, role) VALUES ($1, $2, $3, 'x', 'admin')`, [u.tenant, u.id, u.email]));
  const deleteUser = (u: ReturnType<typeof user>) => db.tenant(u.tenant, (tx) => tx.rows(`DELETE FROM users WHERE id = $1`, [u.id]));

  beforeAll(async () => {
    await db.dataSource.initialize();
    for (const tenant of [tenantA, tenantB]) {
      await db.tenant(tenant, (tx) => tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, $1)`, [tenant]));
    }
  });
  afterAll(() => db.dataSource.destroy());

  it('keeps a removed account by the e-mail it had, while the e-mail signs up again under a new id', async () => {
    const ana = user(tenantA, 'ana');
    await insertUser(ana);
    await deleteUser(ana);
    const again = { ...user(tenantA, 'ana2'), email: ana.email.toUpperCase() };
    await insertUser(again);

    const found = await db.tenant(tenantA, (tx) => actors.resolve(tx, [ana.id, again.id, 'usr_nobody', 'tok_nothing']));

    expect(found.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: ana.id, kind: 'user', email: ana.email, name: null, removedAt: expect.any(Date) },
      { id: again.id, kind: 'user', email: again.email, name: null, removedAt: null },
    ]);
  });

  it("names a service key by its service, or by its own name when it has none; never another tenant's people", async () => {
    const bob = user(tenantB, 'bob');
    await insertUser(bob);
    const keys = await db.tenant(tenantA, async (tx) => {
      await tx.rows(`INSERT INTO services (tenant_id, id, name) VALUES ($1, $2, 'Billing')`, [tenantA, `svc_${stamp}`]);
      const key = (id: string, name: string, service: string | null) =>
        tx.rows(
          `INSERT INTO tokens (tenant_id, id, name, environment, owner_service_id, created_via, lookup_id, secret_hash, pepper_id, last4,
                               status, expires_at, root_id)
           VALUES ($1, $2, $3, 'live', $4, 'dashboard', $2, 'h', 'p', 'abcd', 'active', now() + interval '1 day', $2)`,
          [tenantA, id, name, service],
        );
      await key(`tok_owned_${stamp}`, 'ci deployer', `svc_${stamp}`);
      await key(`tok_loose_${stamp}`, 'ops laptop', null);
      return actors.resolve(tx, [`tok_owned_${stamp}`, `tok_loose_${stamp}`, bob.id]);
    });

    expect(keys.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: `tok_loose_${stamp}`, kind: 'service_key', email: null, name: 'ops laptop', removedAt: null },
      { id: `tok_owned_${stamp}`, kind: 'service_key', email: null, name: 'Billing', removedAt: null },
    ]);
  });

  it('cannot be written by the application, only by the users trigger', async () => {
    await expect(
      db.tenant(tenantA, (tx) => tx.rows(`INSERT INTO people (tenant_id, id, email) VALUES ($1, 'usr_forged', 'forged@example.test')`, [tenantA])),
    ).rejects.toThrow(/permission denied/);
    const ana = user(tenantA, 'ana3');
    await insertUser(ana);
    await expect(db.tenant(tenantA, (tx) => tx.rows(`UPDATE people SET email = 'forged@example.test' WHERE id = $1`, [ana.id]))).rejects.toThrow(
      /permission denied/,
    );
  });

  describe('on an upgraded installation', () => {
    const databases = upgradedDatabases();
    afterAll(() => databases.dropAll());

    it('takes in the current accounts, and those removed before from the e-mail their user.removed event recorded', async () => {
      const database = await databases.before(MIGRATION);
      await database.query(`INSERT INTO tenants (id, name) VALUES ('ten_old', 'Old')`);
      await database.query(`INSERT INTO users (tenant_id, id, email, password_hash, role) VALUES ('ten_old', 'usr_kept', 'kept@example.test', 'x', 'owner')`);
      await database.query(
        `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, actor_id, target_type, target_id, data)
         VALUES ('ten_old', '2026-01-01T00:00:00Z', 'user.created', 'user', 'usr_kept', 'user', 'usr_gone', '{"email": "gone@example.test", "role": "viewer"}'),
                ('ten_old', '2026-02-01T00:00:00Z', 'user.removed', 'user', 'usr_kept', 'user', 'usr_gone', '{"email": "gone@example.test", "role": "viewer"}')`,
      );

      await database.upgrade();

      expect(await database.query(`SELECT tenant_id, id, email, removed_at FROM people ORDER BY id`)).toEqual([
        { tenant_id: 'ten_old', id: 'usr_gone', email: 'gone@example.test', removed_at: new Date('2026-02-01T00:00:00Z') },
        { tenant_id: 'ten_old', id: 'usr_kept', email: 'kept@example.test', removed_at: null },
      ]);
    });
  });
});
