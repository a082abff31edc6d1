import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createDataSource, Database, runMigrations } from '@custos/persistence';
import { Client, Pool } from 'pg';

const SLOW = 120_000;

interface Started {
  url: string;
  /** Sends SIGTERM (or the signal given) and resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs startEmbeddedPostgres in its own Node process, as the launcher does. PGlite loads Node built-ins
 * with dynamic import(), which Jest's module sandbox refuses (it would need --experimental-vm-modules).
 */
function startInChild(dataDir: string, socketDir: string, maxConnections: number): Promise<Started> {
  const options = JSON.stringify({ dataDir, socketDir, maxConnections });
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(require.resolve('./embedded-postgres'))});
    startEmbeddedPostgres(${options}).then(
      (pg) => {
        const stop = () => pg.stop().then(() => process.exit(0));
        process.once('SIGTERM', stop);
        // Jest going away closes this pipe: stop rather than linger as an orphan.
        process.stdin.once('close', stop).resume();
        console.log('READY ' + pg.url);
      },
      (error) => { console.log('FAILED ' + error.message); process.exit(1); },
    );`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: join(__dirname, '../../../..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      child.stdin!.destroy();
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('READY ')) {
        resolve({
          url: line.slice('READY '.length),
          stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
            child.kill(signal);
            // A wedged process (its event loop blocked) never runs the SIGTERM handler; never leave it behind.
            const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            try {
              return await exited;
            } finally {
              clearTimeout(timer);
            }
          },
        });
      } else if (line.startsWith('FAILED ')) {
        reject(new Error(line.slice('FAILED '.length)));
      }
    });
    void exited.then((code) => reject(new Error(`embedded Postgres process exited with ${code}`)));
  });
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function pollUntilHeard(heard: readonly string[], count: number): Promise<void> {
  for (const deadline = Date.now() + 5_000; heard.length < count && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
}

describe('embedded Postgres (PGlite over the wire protocol)', () => {
  const root = mkdtempSync(join(tmpdir(), 'custos-pglite-'));
  const dataDir = join(root, 'pgdata');
  const socketDir = join(root, 'socket');
  let pg: Started;
  let firstMigrations: string[];
  const [tenantA, tenantB] = ['ten_embedded_a', 'ten_embedded_b'];

  beforeAll(async () => {
    pg = await startInChild(dataDir, socketDir, 12);
    firstMigrations = await runMigrations(pg.url);
  }, SLOW);

  afterAll(async () => {
    await pg?.stop();
    rmSync(root, { recursive: true, force: true });
  }, SLOW);

  // That it opens no TCP port at all is checked on the launcher, in apps/api-e2e/src/launcher-smoke.e2e-spec.ts.
  it('serves on a Unix socket in a directory only its owner may enter', () => {
    // Where the pg driver itself goes with this URL.
    const { host, port } = new Client({ connectionString: pg.url });
    expect(host).toBe(socketDir);
    const socket = statSync(join(socketDir, `.s.PGSQL.${port}`));
    const directory = statSync(socketDir);
    expect({
      socket: socket.isSocket(),
      socketMode: (socket.mode & 0o777).toString(8),
      directoryMode: (directory.mode & 0o777).toString(8),
      owner: directory.uid,
    }).toEqual({ socket: true, socketMode: '600', directoryMode: '700', owner: process.getuid!() });
  });

  it('applies the migrations: role, row-level security, trigger, SECURITY DEFINER functions', async () => {
    expect(firstMigrations).toContain('CreateCoreSchema1763856000000');
    const facts = await withClient(pg.url, async (client) => {
      const role = await client.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'custos_app'`);
      const rls = await client.query(`SELECT relrowsecurity FROM pg_class WHERE relname = 'tokens'`);
      const definer = await client.query(`SELECT prosecdef FROM pg_proc WHERE proname = 'custos_resolve_login'`);
      const trigger = await client.query(`SELECT 1 FROM pg_trigger WHERE tgname = 'audit_events_append_only'`);
      return { role: role.rows[0], rls: rls.rows[0], definer: definer.rows[0], triggers: trigger.rowCount };
    });
    expect(facts).toEqual({
      role: { rolsuper: false, rolbypassrls: false },
      rls: { relrowsecurity: true },
      definer: { prosecdef: true },
      triggers: 1,
    });
  });

  describe('row-level security through the application Database', () => {
    let db: Database;

    beforeAll(async () => {
      db = new Database(createDataSource({ url: pg.url, poolSize: 4 }));
      await db.dataSource.initialize();
      for (const tenant of [tenantA, tenantB]) {
        await db.tenant(tenant, async (tx) => {
          await tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, $1)`, [tenant]);
          await tx.rows(`INSERT INTO services (tenant_id, id, name) VALUES ($1, $1 || '_svc', 'billing')`, [tenant]);
          await tx.rows(
            `INSERT INTO users (tenant_id, id, email, password_hash, role) VALUES ($1, $1 || '_usr', $1 || '@example.test', 'x', 'owner')`,
            [tenant],
          );
        });
      }
    }, SLOW);
    afterAll(() => db.dataSource.destroy());

    it('runs transactions as custos_app, which is neither superuser nor BYPASSRLS', async () => {
      const role = await db.tenant(tenantA, (tx) =>
        tx.one<{ current_user: string; rolsuper: boolean; rolbypassrls: boolean }>(
          `SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
        ),
      );
      expect(role).toEqual({ current_user: 'custos_app', rolsuper: false, rolbypassrls: false });
    });

    it('lets tenant A see only its own rows, even with no tenant filter', async () => {
      const services = await db.tenant(tenantA, (tx) => tx.rows<{ tenant_id: string }>(`SELECT tenant_id FROM services`));
      expect(services.map((r) => r.tenant_id)).toEqual([tenantA]);
      const tenants = await db.tenant(tenantB, (tx) => tx.rows<{ id: string }>(`SELECT id FROM tenants`));
      expect(tenants.map((r) => r.id)).toEqual([tenantB]);
      expect(await db.system((tx) => tx.rows(`SELECT * FROM services`))).toEqual([]);
    });

    it("refuses writes into another tenant's rows", async () => {
      await expect(
        db.tenant(tenantA, (tx) => tx.rows(`INSERT INTO services (tenant_id, id, name) VALUES ($1, 'svc_x', 'x')`, [tenantB])),
      ).rejects.toThrow(/row-level security/);
      expect(await db.tenant(tenantA, (tx) => tx.affected(`UPDATE services SET description = 'changed'`))).toBe(1);
      const untouched = await withClient(pg.url, (c) =>
        c.query(`SELECT description FROM services WHERE tenant_id = $1`, [tenantB]),
      );
      expect(untouched.rows).toEqual([{ description: null }]);
    });

    it('resolves across tenants only through the SECURITY DEFINER functions', async () => {
      const owner = await db.system((tx) =>
        tx.one<{ tenant: string }>(`SELECT custos_resolve_login($1) AS tenant`, [`${tenantB}@example.test`]),
      );
      expect(owner).toEqual({ tenant: tenantB });
    });

    it('keeps audit events append-only, even for the owner', async () => {
      await db.tenant(tenantA, (tx) =>
        tx.rows(`INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type) VALUES ($1, now(), 'x', 'system')`, [
          tenantA,
        ]),
      );
      await withClient(pg.url, async (client) => {
        await expect(client.query(`UPDATE audit_events SET action = 'y'`)).rejects.toThrow(/append-only/);
        await expect(client.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
      });
    });

    it('keeps each transaction on its own tenant while many run at once', async () => {
      const seen = await Promise.all(
        Array.from({ length: 40 }, (_, i) => {
          const tenant = i % 2 ? tenantA : tenantB;
          return db.tenant(tenant, async (tx) => {
            const rows = await tx.rows<{ tenant_id: string }>(`SELECT tenant_id FROM services`);
            return rows.length === 1 && rows[0]!.tenant_id === tenant;
          });
        }),
      );
      expect(seen.every(Boolean)).toBe(true);
    });
  });

  describe('many clients sharing the single backend', () => {
    let pool: Pool;
    beforeAll(() => {
      pool = new Pool({ connectionString: pg.url, max: 4 });
    });
    afterAll(() => pool.end());

    it('never runs one client’s Bind against another client’s statement', async () => {
      // Parameters this large reach the server in several TCP chunks, between which other clients'
      // messages arrive: the case where a per-message multiplexer mixes up unnamed statements.
      const big = 'x'.repeat(600_000);
      const results = await Promise.allSettled(
        Array.from({ length: 60 }, async (_, i) => {
          if (i % 3 === 0) {
            const { rows } = await pool.query<{ n: number }>(`SELECT length($1::text) AS n`, [big]);
            return rows[0]!.n === big.length;
          }
          const { rows } = await pool.query<{ i: number }>(`SELECT $1::int AS i, 'other shape' AS s`, [i]);
          return rows[0]!.i === i;
        }),
      );
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual(results.map(() => true));
    });

    it('keeps named prepared statements apart per connection', async () => {
      const values = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const { rows } = await pool.query<{ i: number }>({ name: 'by_number', text: 'SELECT $1::int AS i', values: [i] });
          return rows[0]!.i;
        }),
      );
      expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('rolls back the open transaction of a client that disconnects', async () => {
      const client = new Client({ connectionString: pg.url });
      await client.connect();
      await client.query('BEGIN');
      await client.query('CREATE TABLE abandoned_work (x int)');
      await client.end();
      const { rows } = await pool.query(`SELECT to_regclass('abandoned_work') AS t`);
      expect(rows).toEqual([{ t: null }]);
    });

    it("gives each client the search_path of its startup options, as BullMQ's PostgreSQL backend sets it", async () => {
      await pool.query('CREATE SCHEMA IF NOT EXISTS queue_test; CREATE TABLE IF NOT EXISTS queue_test.where_am_i (x text)');
      const queued = new Pool({ connectionString: pg.url, max: 2, options: '-c search_path="queue_test"' });
      try {
        const seen = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 === 0 ? queued : pool).query<{ p: string; t: string | null }>(`SELECT current_setting('search_path') AS p, to_regclass('where_am_i')::text AS t`),
          ),
        );
        seen.forEach(({ rows }, i) =>
          expect(rows[0]).toEqual(i % 2 === 0 ? { p: 'queue_test', t: 'where_am_i' } : { p: expect.not.stringContaining('queue_test') as unknown, t: null }),
        );
      } finally {
        await queued.end();
      }
    });

    it('delivers a NOTIFY to the connections that LISTEN for it, as separate backends would, and nowhere else', async () => {
      const clients = Array.from({ length: 4 }, () => new Client({ connectionString: pg.url }));
      const [listener, other, notifier, quitter] = clients as [Client, Client, Client, Client];
      await Promise.all(clients.map((c) => c.connect()));
      const heard: string[] = [];
      clients.forEach((c, i) => c.on('notification', (n) => heard.push(`${['listener', 'other', 'notifier', 'quitter'][i]}:${n.channel}:${n.payload}`)));
      try {
        await listener.query('LISTEN wire_test');
        await other.query('LISTEN "Other_Channel"');
        await quitter.query('LISTEN wire_test');
        await quitter.query('UNLISTEN wire_test');
        // A large payload in a transaction with other output: the notification is cut out of the stream.
        await notifier.query('BEGIN');
        await notifier.query(`SELECT repeat('x', 100000) AS filler`);
        await notifier.query(`SELECT pg_notify('wire_test', $1)`, ['y'.repeat(7000)]);
        await notifier.query(`NOTIFY "Other_Channel", 'second'`);
        const { rows } = await notifier.query<{ n: number }>('COMMIT; SELECT 42 AS n');
        expect(rows ?? []).toBeDefined();
        await pollUntilHeard(heard, 2);
        expect(heard.sort()).toEqual([`listener:wire_test:${'y'.repeat(7000)}`, 'other:Other_Channel:second']);
        // The connections that were not told are still in step with the server.
        expect((await notifier.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
        expect((await quitter.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
    });

    it('refuses connections beyond maxConnections with a Postgres error', async () => {
      const clients = Array.from({ length: 12 }, () => new Client({ connectionString: pg.url }));
      const outcomes = await Promise.allSettled(clients.map((c) => c.connect()));
      await Promise.allSettled(clients.map((c) => c.end()));
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(refused.length).toBeGreaterThan(0);
      expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/too many clients/);
    });
  });

  it('refuses a socket path longer than the system allows, rather than serve on a truncated one', async () => {
    const deep = join(root, 'd'.repeat(120));
    const outcome = await startInChild(join(root, 'other-pgdata'), deep, 2).then(
      async (started) => `started: ${(await started.stop(), started.url)}`,
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/too long for a Unix socket/);
  });

  it('refuses a second start on the same data directory while it is open', async () => {
    await expect(startInChild(dataDir, socketDir, 2)).rejects.toThrow(/in use by process/);
  });

  it('keeps the data when reopened, and then has no migration left to apply', async () => {
    expect(await pg.stop()).toBe(0);
    // A socket directory someone made readable for everyone is made owner-only again.
    mkdirSync(socketDir, { recursive: true, mode: 0o777 });
    chmodSync(socketDir, 0o777);
    pg = await startInChild(dataDir, socketDir, 4);
    expect((statSync(socketDir).mode & 0o777).toString(8)).toBe('700');
    expect(await runMigrations(pg.url)).toEqual([]);
    const { rows } = await withClient(pg.url, (c) => c.query<{ id: string }>(`SELECT id FROM tenants ORDER BY id`));
    expect(rows.map((r) => r.id)).toEqual([tenantA, tenantB]);
  }, SLOW);

  it('starts again after being killed, over the socket file the killed process left behind', async () => {
    await pg.stop('SIGKILL');
    expect(readdirSync(socketDir)).toEqual(['.s.PGSQL.5432']);
    pg = await startInChild(dataDir, socketDir, 4);
    const { rows } = await withClient(pg.url, (c) => c.query<{ n: string }>(`SELECT count(*) AS n FROM tenants`));
    expect(rows).toEqual([{ n: '2' }]);
  }, SLOW);
});
