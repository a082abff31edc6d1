import { randomBytes } from 'node:crypto';
import { DomainError } from '@custos/domain';
import { ServiceEntity } from '../entities/service.entity';
import { createDataSource } from './data-source';
import { Database, type BatchedWrite, type Committed, type OpeningRead, type Tx } from './database';

/** Counts the transactions it runs: the real database underneath, observed. */
class CountingDatabase extends Database {
  transactions = 0;
  protected override transaction<T>(tenantId: string | null, work: (tx: Tx) => Promise<T>, opening?: readonly OpeningRead[]): Promise<Committed<T>> {
    this.transactions++;
    return super.transaction(tenantId, work, opening);
  }
}

/** Services named in one call per transaction: a writer that sees every item of its transaction at once. */
class ServiceNames implements BatchedWrite<string> {
  readonly calls: string[][] = [];
  async write(tx: Tx, names: string[]): Promise<void> {
    this.calls.push(names);
    await tx.rows(`INSERT INTO services (tenant_id, id, name) SELECT $1, 'svc_' || n, n FROM unnest($2::text[]) AS n`, [tx.tenantId, names]);
  }
}

/**
 * The unit of work's group commit (`db.tenant(id, work, { batch: true })`): works of a tenant that
 * arrive while its batch is in flight share the next transaction, and each still answers for itself.
 */
describe('Database, batched tenant work', () => {
  const db = new CountingDatabase(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 2 }));
  let tenantId = '';

  beforeAll(async () => {
    await db.dataSource.initialize();
  });
  beforeEach(async () => {
    tenantId = `ten_group_${randomBytes(6).toString('hex')}`;
    await db.tenant(tenantId, (tx) => tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, 'group commit')`, [tenantId]));
  });
  afterAll(() => db.dataSource.destroy());

  const servicesNamed = () =>
    db.tenant(tenantId, async (tx) => (await tx.rows<{ name: string }>(`SELECT name FROM services ORDER BY name`)).map((r) => r.name));

  it("returns each work's own result, and the works that arrive while a batch runs its works share its transaction and its write", async () => {
    const names = new ServiceNames();
    const before = db.transactions;
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        db.tenant(tenantId, async (tx) => {
          tx.beforeCommit(names, name);
          return { name, secret: `secret of ${name}` };
        }, { batch: true }),
      ),
    );
    expect(results).toEqual(['a', 'b', 'c', 'd'].map((name) => ({ name, secret: `secret of ${name}` })));
    // The first starts a transaction; the three that follow arrive during its BEGIN and join it.
    expect(db.transactions - before).toBe(1);
    expect(names.calls).toEqual([['a', 'b', 'c', 'd']]);
    expect(await servicesNamed()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('makes works that arrive once a batch is writing wait for the next transaction, and go in it together', async () => {
    const before = db.transactions;
    let late: Array<Promise<string>> = [];
    const names: BatchedWrite<string> & { calls: string[][] } = {
      calls: [],
      async write(tx, items) {
        this.calls.push(items);
        // Arrive while the first batch's writes are under way.
        if (this.calls.length === 1) late = ['late 1', 'late 2'].map((name) => submit(name));
        await new ServiceNames().write(tx, items);
      },
    };
    const submit = (name: string) =>
      db.tenant(tenantId, async (tx) => {
        tx.beforeCommit(names, name);
        return name;
      }, { batch: true });
    expect(await submit('first')).toBe('first');
    expect(await Promise.all(late)).toEqual(['late 1', 'late 2']);
    expect(db.transactions - before).toBe(2);
    expect(names.calls).toEqual([['first'], ['late 1', 'late 2']]);
    expect(await servicesNamed()).toEqual(['first', 'late 1', 'late 2']);
  });

  it('makes a read the works of one transaction share once for all of them, and again in the next transaction', async () => {
    const reads: number[] = [];
    const work = () =>
      db.tenant(tenantId, (tx) => tx.once('backend pid', async () => {
        const row = await tx.one<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
        reads.push(row!.pid);
        return row!.pid;
      }), { batch: true });
    // Four works in one transaction: one read, all four see it.
    const pids = await Promise.all([work(), work(), work(), work()]);
    expect(reads).toHaveLength(1);
    expect(pids).toEqual([reads[0], reads[0], reads[0], reads[0]]);
    // The next transaction reads again.
    await work();
    expect(reads).toHaveLength(2);
  });

  it('answers a work that refuses on its own checks with its refusal, drops its writes and commits the others', async () => {
    const names = new ServiceNames();
    const committed: string[] = [];
    const before = db.transactions;
    const results = await Promise.allSettled(
      ['a', 'b', 'refused', 'c'].map((name) =>
        db.tenant(tenantId, async (tx) => {
          tx.beforeCommit(names, name);
          tx.afterCommit(() => void committed.push(name));
          if (name === 'refused') throw DomainError.validation([{ field: 'name', message: 'is refused' }]);
          return name;
        }, { batch: true }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
    expect(db.transactions - before).toBe(1);
    expect(await servicesNamed()).toEqual(['a', 'b', 'c']);
    expect(committed).toEqual(['a', 'b', 'c']);
  });

  it('retries a batch the database refuses one work per transaction, so only the bad one fails', async () => {
    await db.tenant(tenantId, (tx) => new ServiceNames().write(tx, ['taken']));
    const names = new ServiceNames();
    const before = db.transactions;
    const first = db.tenant(tenantId, async (tx) => tx.beforeCommit(names, 'first'), { batch: true });
    const rest = ['b', 'taken', 'c'].map((name) =>
      db.tenant(tenantId, async (tx) => {
        tx.beforeCommit(names, name);
        return name;
      }, { batch: true }),
    );
    const results = await Promise.allSettled([first, ...rest]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    // All four in one transaction (the three joined the first's), which failed; then each on its own.
    expect(db.transactions - before).toBe(1 + 4);
    expect(await servicesNamed()).toEqual(['b', 'c', 'first', 'taken']);
  });

  it('refuses a malformed tenant id to its own caller', async () => {
    await expect(db.tenant(`x', true); --`, async () => 'never', { batch: true })).rejects.toThrow('invalid tenant id');
  });

  it("runs TypeORM's entity manager on the transaction's connection: its insert is seen inside and rolls back with it", async () => {
    const id = `svc_orm_${randomBytes(4).toString('hex')}`;
    await expect(
      db.tenant(tenantId, async (tx) => {
        await tx.manager.insert(ServiceEntity, { tenantId, id, name: id, description: null, ownerContact: null, allowedScopes: [], publicJwk: null, createdBy: null });
        expect(await tx.rows(`SELECT id FROM services WHERE id = $1 FOR UPDATE`, [id])).toEqual([{ id }]);
        expect(await tx.manager.findOneBy(ServiceEntity, { id })).toMatchObject({ id });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await servicesNamed()).toEqual([]);
  });
});
