import { randomBytes } from 'node:crypto';
import { AuditLog, AuditSealer, TokenSweeper } from '@custos/application';
import { generateToken } from '@custos/domain';
import { Database, createDataSource } from '@custos/persistence';

/** Tokens die on time: due tokens are expired once each, with their audit events, however many workers sweep. */
describe('token sweeps', () => {
  const databases = [0, 1].map(() => new Database(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 3 })));
  const sweepers = databases.map((db) => new TokenSweeper(db, new AuditLog(new AuditSealer(db))));
  const [db] = databases as [Database, Database];
  const tenantId = `ten_sweep_${randomBytes(4).toString('hex')}`;

  async function insertToken(id: string, status: string, expiresIn: string, graceEndsIn: string | null = null): Promise<void> {
    await db.tenant(tenantId, (tx) =>
      tx.rows(
        `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4,
                             status, expires_at, grace_ends_at, root_id)
         VALUES ($1, $2, $2, 'live', 'api', $3, 'ab', 'p1', 'abcd', $4, now() + $5::interval,
                 now() + $6::interval, $2)`,
        [tenantId, id, generateToken('live').lookupId, status, expiresIn, graceEndsIn],
      ),
    );
  }

  const statusOf = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await db.tenant(tenantId, (tx) => tx.rows<{ id: string; status: string }>(`SELECT id, status FROM tokens`))).map((r) => [
        r.id,
        r.status,
      ]),
    );
  const eventsOf = (action: string) =>
    db.tenant(tenantId, (tx) => tx.rows<{ target_id: string }>(`SELECT target_id FROM audit_events WHERE action = $1`, [action]));

  beforeAll(async () => {
    await Promise.all(databases.map((d) => d.dataSource.initialize()));
    await db.tenant(tenantId, (tx) => tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, 'sweeps')`, [tenantId]));
    for (let i = 0; i < 7; i++) await insertToken(`tok_due_${i}`, 'active', '-1 minute');
    await insertToken('tok_due_suspended', 'suspended', '-1 second');
    await insertToken('tok_alive', 'active', '1 hour');
    await insertToken('tok_grace_over', 'rotating', '1 hour', '-1 second');
    await insertToken('tok_grace_running', 'rotating', '1 hour', '1 hour');
  });
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.dataSource.destroy()));
  });

  it('expires every due token exactly once when two workers sweep at the same time', async () => {
    // Sweeps cover every tenant of the shared test database; this tenant's rows are what is checked.
    const counts = await Promise.all(sweepers.map((s) => s.sweep('expire', 2)));
    expect(counts[0]! + counts[1]!).toBeGreaterThanOrEqual(8);
    const statuses = await statusOf();
    for (let i = 0; i < 7; i++) expect(statuses[`tok_due_${i}`]).toBe('expired');
    expect(statuses).toMatchObject({ tok_due_suspended: 'expired', tok_alive: 'active', tok_grace_running: 'rotating' });
    const events = (await eventsOf('token.expired')).map((e) => e.target_id).sort();
    expect(events).toEqual([...Array.from({ length: 7 }, (_, i) => `tok_due_${i}`), 'tok_due_suspended'].sort());
  });

  it('is idempotent: a second sweep changes nothing more', async () => {
    await sweepers[0]!.sweep('expire');
    expect(await eventsOf('token.expired')).toHaveLength(8);
  });

  it('ends grace periods that are over, and only those', async () => {
    expect(await sweepers[1]!.sweep('grace_end')).toBeGreaterThanOrEqual(1);
    await sweepers[0]!.sweep('grace_end');
    expect(await statusOf()).toMatchObject({ tok_grace_over: 'expired', tok_grace_running: 'rotating' });
    expect((await eventsOf('token.rotation_completed')).map((e) => e.target_id)).toEqual(['tok_grace_over']);
  });
});
