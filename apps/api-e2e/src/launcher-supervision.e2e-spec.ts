import { randomBytes } from 'node:crypto';
import {
  ApiClient,
  deleteRedisKeys,
  isProcessAlive,
  issueToken,
  pollUntil,
  serviceKey,
  signupTenant,
  startLauncher,
  type RunningLauncher,
  type TestTenant,
  type TokenBody,
} from '@custos/testing';

const CLIENTS = 6;

/** Clients that issue and verify tokens back to back until stopped, and note every answer that is not right. */
class SteadyLoad {
  private running = true;
  private readonly loops: Array<Promise<void>>;
  readonly errors: string[] = [];
  verified = 0;

  constructor(private readonly client: ApiClient) {
    this.loops = Array.from({ length: CLIENTS }, (_, i) => this.loop(i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(client: number): Promise<void> {
    while (this.running) {
      try {
        const issued = await this.client.post<{ secret: string }>('/v1/tokens', {
          name: `load-${client}`,
          scopes: ['orders:read'],
          expiresInSeconds: 600,
        });
        if (issued.status !== 201) throw new Error(`issue answered ${issued.status}`);
        const verified = await this.client.post<{ valid: boolean }>('/v1/verify', { token: issued.body.secret });
        if (verified.status !== 200 || !verified.body.valid) throw new Error(`verify answered ${verified.status} ${JSON.stringify(verified.body)}`);
        this.verified++;
      } catch (error) {
        this.errors.push(`${new Date().toISOString()} client ${client}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/**
 * `npm start` supervises its two children: a crashed worker or api is started again while the other keeps
 * serving, so a background process that dies never takes verification down with it.
 */
describe('npm start (launcher) supervising the api and the worker', () => {
  // A prefix of its own: the worker of this run takes no other run's jobs from the shared Redis.
  const queuePrefix = `{custos-supervision-${randomBytes(4).toString('hex')}}`;
  let app: RunningLauncher;
  let tenant: TestTenant;
  let key: ApiClient;
  const recentOutput = (): string => app.output().split('\n').slice(-40).join('\n');
  const statusOf = async (id: string): Promise<string> => (await tenant.owner.get<TokenBody>(`/v1/tokens/${id}`)).body.status;

  beforeAll(async () => {
    app = await startLauncher({ env: { CUSTOS_QUEUE_PREFIX: queuePrefix, CUSTOS_SWEEP_INTERVAL_MS: '300', LOG_LEVEL: 'warn' } });
    tenant = await signupTenant(new ApiClient(app.url), 'Supervision');
    key = (await serviceKey(tenant)).client;
  }, 150_000);

  afterAll(async () => {
    await app?.stop();
    await deleteRedisKeys(process.env.REDIS_URL!, `${queuePrefix}*`);
  }, 60_000);

  it('keeps verify answering while the worker is killed, and the restarted worker sweeps again', async () => {
    const load = new SteadyLoad(key);
    let verifiedBeforeKill = 0;
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      verifiedBeforeKill = load.verified;
      const killed = app.childPid('worker');
      expect(killed).toBeDefined();
      process.kill(killed!, 'SIGKILL');

      const restarted = await pollUntil(
        async () => app.childPid('worker'),
        (pid) => pid !== undefined && pid !== killed,
        { timeoutMs: 10_000, intervalMs: 50 },
      );
      expect(isProcessAlive(killed!)).toBe(false);
      // Only a worker that runs jobs marks this token expired: it falls due after the old worker died.
      const due = await issueToken(tenant.owner, { expiresInSeconds: 1 });
      await pollUntil(() => statusOf(due.token.id), (status) => status === 'expired', { timeoutMs: 20_000, intervalMs: 200 });
      expect(app.childPid('worker')).toBe(restarted);
    } finally {
      await load.stop();
    }
    expect(load.errors).toEqual([]);
    expect(verifiedBeforeKill).toBeGreaterThan(0);
    expect(load.verified - verifiedBeforeKill).toBeGreaterThan(20);
    expect(app.output()).toMatch(/the worker process exited unexpectedly \(signal SIGKILL\): starting it again in \d+ ms/);
  }, 60_000);

  it('starts a killed api again, while the worker keeps running', async () => {
    const [api, worker] = [app.childPid('api'), app.childPid('worker')];
    expect(api).toBeDefined();
    process.kill(api!, 'SIGKILL');

    await pollUntil(
      () => fetch(`${app.url}/health/ready`).then((r) => r.status, () => 0),
      (status) => status === 200,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(app.childPid('api')).not.toBe(api);
    expect(app.childPid('worker')).toBe(worker);
    const issued = await issueToken(key);
    expect((await key.post<{ valid: boolean }>('/v1/verify', { token: issued.secret })).body).toMatchObject({ valid: true });
    expect(app.output()).toMatch(/the api process exited unexpectedly \(signal SIGKILL\): starting it again/);
  }, 60_000);

  it('still stops everything on SIGTERM with exit code 0, starting nothing again', async () => {
    const children = [app.childPid('api')!, app.childPid('worker')!];
    const exit = await app.stop();
    expect({ ...exit, output: exit.code === 0 ? '' : recentOutput() }).toEqual({ code: 0, signal: null, output: '' });
    expect(children.filter(isProcessAlive)).toEqual([]);
    const afterSignal = app.output().slice(app.output().indexOf('SIGTERM received'));
    expect(afterSignal).not.toMatch(/starting it again/);
  }, 60_000);
});
