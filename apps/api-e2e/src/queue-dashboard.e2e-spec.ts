import { randomBytes } from 'node:crypto';
import { QUEUES } from '@custos/contracts';
import {
  ApiClient,
  PASSWORD,
  addUser,
  auditEvents,
  createScratchDatabase,
  login,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  type RunningApi,
  type ScratchDatabase,
  type TestTenant,
} from '@custos/testing';
import { Queue, Worker } from 'bullmq';

const BOARD = '/admin/queues';

interface BoardQueue {
  name: string;
  isPaused: boolean;
  counts: Record<string, number>;
  jobs: Array<{ id: string; name: string; attempts: number; failedReason?: string; stacktrace: string[]; isFailed: boolean }>;
}

/** The parts of a page a browser would fetch or run, to check each is served and allowed by the CSP. */
function pageParts(html: string): { scripts: string[]; inlineScriptTypes: string[]; stylesheets: string[] } {
  const scripts: string[] = [];
  const inlineScriptTypes: string[] = [];
  for (const [, attrs] of html.matchAll(/<script\b([^>]*)>/g)) {
    const src = /\bsrc="([^"]+)"/.exec(attrs!)?.[1];
    if (src) scripts.push(src);
    else inlineScriptTypes.push(/\btype="([^"]+)"/.exec(attrs!)?.[1] ?? 'text/javascript');
  }
  const stylesheets = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)].map((m) => /\bhref="([^"]+)"/.exec(m[0])![1]!);
  return { scripts, inlineScriptTypes, stylesheets };
}

/** The CSP's directives by name. */
function cspOf(headers: Headers): Map<string, string[]> {
  const value = headers.get('content-security-policy') ?? '';
  return new Map(
    value
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/**
 * bull-board at /admin/queues: owners and admins of a tenant see the queues (pages, assets, JSON API),
 * nobody else does, changes must come from its own origin, and a failed job shows with its error.
 */
describe('queue dashboard', () => {
  const prefix = `{custos-board-${randomBytes(4).toString('hex')}}`;
  const connection = { url: process.env.REDIS_URL! };
  const queue = new Queue(QUEUES.maintenance, { connection, prefix });
  let api: RunningApi;
  let tenant: TestTenant;

  beforeAll(async () => {
    // An api of its own: its board and metrics read this test's queue prefix only, and this test's
    // tenant runs the installation. Sessions live in the shared database, so they work on both apis.
    const signedUp = await signupTenant(ApiClient.fromEnv(), 'Operators');
    api = await startApi({ CUSTOS_QUEUE_PREFIX: prefix, CUSTOS_OPERATOR_TENANT_ID: signedUp.tenantId });
    tenant = { ...signedUp, owner: new ApiClient(api.url, signedUp.owner.auth) };
  });
  afterAll(async () => {
    await api?.stop();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  });

  const get = (client: ApiClient, path: string, headers: Record<string, string> = {}) => client.request('GET', path, undefined, headers);

  describe('who may see it', () => {
    it('refuses anonymous callers with 401, on pages, static files and the JSON API alike', async () => {
      const anonymous = new ApiClient(api.url);
      for (const path of [BOARD, `${BOARD}/`, `${BOARD}/queue/${QUEUES.maintenance}`, `${BOARD}/api/queues`, `${BOARD}/static/images/logo.svg`]) {
        const res = await get(anonymous, path, { accept: 'text/html' });
        expect([path, res.status]).toEqual([path, 401]);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
      }
      const put = await anonymous.request('PUT', `${BOARD}/api/queues/${QUEUES.maintenance}/pause`, undefined, { origin: api.url });
      expect(put.status).toBe(401);
    });

    it('refuses service keys: the board is for people signed in to the dashboard', async () => {
      const { client } = await serviceKey(tenant);
      expect((await get(client, `${BOARD}/api/queues`)).status).toBe(401);
    });

    it.each(['viewer', 'auditor', 'operator'] as const)('refuses a signed-in %s with 403', async (role) => {
      const { client } = await addUser(tenant, role);
      for (const path of [BOARD, `${BOARD}/api/queues`, `${BOARD}/static/images/logo.svg`]) {
        const res = await get(client, path);
        expect([path, res.status]).toEqual([path, 403]);
        expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
      }
      const put = await client.request('PUT', `${BOARD}/api/queues/${QUEUES.maintenance}/pause`, undefined, { origin: api.url });
      expect(put.status).toBe(403);
      expect(await queue.isPaused()).toBe(false);
    });

    it("refuses another tenant's owner: the board spans every tenant, so it is for the installation's operators", async () => {
      const other = await signupTenant(new ApiClient(api.url), 'Customer');
      for (const path of [BOARD, `${BOARD}/api/queues`]) {
        const res = await get(other.owner, path);
        expect([path, res.status]).toEqual([path, 403]);
        expect(res.body).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('CUSTOS_OPERATOR_TENANT_ID') });
      }
      const put = await other.owner.request('PUT', `${BOARD}/api/queues/${QUEUES.maintenance}/pause`, undefined, { origin: api.url });
      expect(put.status).toBe(403);
      expect(await queue.isPaused()).toBe(false);
    });

    it.each(['owner', 'admin'] as const)('shows the queues of the contract to an %s', async (role) => {
      const client = role === 'owner' ? tenant.owner : (await addUser(tenant, role)).client;
      const res = await get(client, `${BOARD}/api/queues`);
      expect(res.status).toBe(200);
      const names = (res.body as { queues: BoardQueue[] }).queues.map((q) => q.name);
      expect(names.sort()).toEqual(Object.values(QUEUES).sort());
      expect(res.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('the page', () => {
    it('loads: the HTML, every script and stylesheet it names are served, and its CSP allows them', async () => {
      const page = await get(tenant.owner, BOARD, { accept: 'text/html' });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = String(page.body);
      expect(html).toContain(`<base href="${BOARD}/"`);
      const { scripts, inlineScriptTypes, stylesheets } = pageParts(html);
      expect(scripts.length).toBeGreaterThan(0);

      // script-src 'self' without 'unsafe-inline': every script must be a same-origin file, and the
      // only inline <script> may be a data block, which browsers never execute.
      const csp = cspOf(page.headers);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      // The board's own policy (it names its syntax-highlighting worker), scoped to its routes.
      expect(csp.get('worker-src')).toEqual(["'self'"]);
      expect(inlineScriptTypes).toEqual(['application/json']);
      for (const src of scripts) {
        expect(src).not.toMatch(/^(https?:)?\/\//);
        const asset = await get(tenant.owner, `${BOARD}/${src}`);
        expect([src, asset.status]).toEqual([src, 200]);
        expect(asset.headers.get('content-type')).toContain('javascript');
      }
      // Same-origin stylesheets load; the board's Google Fonts link stays blocked (style-src 'self').
      expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
      const local = stylesheets.filter((href) => !/^https?:\/\//.test(href));
      expect(stylesheets.filter((href) => /^https?:\/\//.test(href)).every((href) => href.startsWith('https://fonts.googleapis.com/'))).toBe(true);
      expect(local.length).toBeGreaterThan(0);
      for (const href of local) {
        const asset = await get(tenant.owner, `${BOARD}/${href}`);
        expect([href, asset.status]).toEqual([href, 200]);
        expect(asset.headers.get('content-type')).toContain('text/css');
      }
    });

    it("leaves the rest of the app's CSP as it was", async () => {
      const health = await fetch(`${api.url}/health/live`);
      const csp = cspOf(health.headers);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('font-src')).toEqual(["'self'", 'https:', 'data:']);
      expect(csp.has('worker-src')).toBe(false);
    });

    it('is not part of the API: /openapi.json lists no bull-board route', async () => {
      const doc = (await get(new ApiClient(api.url), '/openapi.json')).body as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/admin'))).toEqual([]);
    });
  });

  describe('changes', () => {
    const pause = `${BOARD}/api/queues/${QUEUES.maintenance}/pause`;
    const resume = `${BOARD}/api/queues/${QUEUES.maintenance}/resume`;

    it('refuses a cross-origin or origin-less change, even from a signed-in owner with the CSRF token', async () => {
      const refused: Array<Record<string, string>> = [
        { origin: 'https://evil.example' },
        { origin: 'null' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site', origin: 'https://evil.example' },
        // An attacker's page on the same host but another port is another origin.
        { origin: api.url.replace(/:\d+$/, ':1') },
        {},
      ];
      for (const headers of refused) {
        const res = await tenant.owner.request('PUT', pause, undefined, headers);
        expect([headers, res.status]).toEqual([headers, 403]);
        expect(res.body).toMatchObject({ code: 'CSRF_FAILED' });
      }
      expect(await queue.isPaused()).toBe(false);
    });

    it('accepts a change from its own origin, as its pages send it', async () => {
      const paused = await tenant.owner.request('PUT', pause, undefined, { origin: api.url, 'sec-fetch-site': 'same-origin' });
      expect(paused.status).toBe(200);
      expect(await queue.isPaused()).toBe(true);
      const resumed = await tenant.owner.request('PUT', resume, undefined, { 'sec-fetch-site': 'same-origin' });
      expect(resumed.status).toBe(200);
      expect(await queue.isPaused()).toBe(false);
    });
  });

  describe('a job that keeps failing', () => {
    // A stand-in for the worker (whose retries are tested in apps/worker/src/job-failures.int-spec.ts):
    // what matters here is what the board and /metrics show of a job BullMQ gave up on.
    let worker: Worker<Record<string, never>, void> | undefined;
    afterAll(async () => {
      await worker?.close();
    });

    it('is shown with its error in the board and counted in /metrics', async () => {
      const failuresBefore = (await queue.getJobCounts('failed')).failed ?? 0;
      worker = new Worker(
        QUEUES.maintenance,
        async (): Promise<void> => {
          throw new Error('sweep failed: database unreachable');
        },
        { connection, prefix },
      );
      const job = await queue.add('tokens.expire', {}, { attempts: 3, backoff: { type: 'exponential', delay: 20 } });
      await pollUntil(() => job.getState(), (state) => state === 'failed', { timeoutMs: 10_000 });

      const res = await get(tenant.owner, `${BOARD}/api/queues?activeQueue=${QUEUES.maintenance}&status=failed&page=1&jobsPerPage=50`);
      expect(res.status).toBe(200);
      const board = (res.body as { queues: BoardQueue[] }).queues.find((q) => q.name === QUEUES.maintenance)!;
      expect(board.counts.failed).toBe(failuresBefore + 1);
      const shown = board.jobs.find((j) => j.id === job.id);
      expect(shown).toMatchObject({ name: 'tokens.expire', attempts: 3, isFailed: true, failedReason: 'sweep failed: database unreachable' });
      expect(shown!.stacktrace).toHaveLength(3);
      expect(shown!.stacktrace[0]).toContain('Error: sweep failed: database unreachable');

      const metrics = String((await get(new ApiClient(api.url), '/metrics')).body);
      expect(metrics).toMatch(new RegExp(`^custos_queue_jobs\\{queue="maintenance",state="failed"\\} ${failuresBefore + 1}$`, 'm'));
    });
  });
});

/**
 * Whose owners run the installation when CUSTOS_OPERATOR_TENANT_ID is unset: the tenant bootstrapped
 * from CUSTOS_ADMIN_EMAIL, or in embedded mode the first sign-up; never a self-signup otherwise, however
 * early. Each case on a database of its own, where the order of sign-ups is known.
 */
describe('queue dashboard operators by default', () => {
  const started: Array<{ db: ScratchDatabase; api: RunningApi }> = [];
  afterAll(async () => {
    for (const { db, api } of started) {
      await api.stop();
      await db.drop();
    }
  });

  async function installation(label: string, env: Record<string, string> = {}): Promise<ApiClient> {
    const db = await createScratchDatabase(label);
    const api = await startApi({ ...db.env, ...env });
    started.push({ db, api });
    return new ApiClient(api.url);
  }
  const boardStatus = async (client: ApiClient) => (await client.get(`${BOARD}/api/queues`)).status;

  it('are the bootstrapped tenant, not a self-signup', async () => {
    const email = `operator-${randomBytes(4).toString('hex')}@example.test`;
    const api = await installation('board_boot', { CUSTOS_ADMIN_EMAIL: email, CUSTOS_ADMIN_PASSWORD: PASSWORD });
    const customer = await signupTenant(api, 'Customer');
    const operator = await login(api, email, PASSWORD);
    expect(await boardStatus(customer.owner)).toBe(403);
    expect(await boardStatus(operator)).toBe(200);
    // Recorded with the tenant's creation, in its audit trail.
    const created = async (client: ApiClient) => (await auditEvents(client, 'action=tenant.created'))[0]?.data;
    expect(await created(operator)).toMatchObject({ via: 'bootstrap', runsInstallation: true });
    expect(await created(customer.owner)).not.toHaveProperty('runsInstallation');
  });

  it('are nobody without a bootstrap: the first self-signup does not get the board', async () => {
    const api = await installation('board_open');
    const first = await signupTenant(api, 'Early bird');
    const res = await first.owner.get(`${BOARD}/api/queues`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('CUSTOS_OPERATOR_TENANT_ID') });
  });

  it('are the first sign-up in embedded mode, and only that one', async () => {
    const api = await installation('board_embedded', { CUSTOS_EMBEDDED_DATABASE: 'true' });
    const first = await signupTenant(api, 'Me');
    const second = await signupTenant(api, 'Someone else');
    expect(await boardStatus(first.owner)).toBe(200);
    expect(await boardStatus(second.owner)).toBe(403);
  });
});
