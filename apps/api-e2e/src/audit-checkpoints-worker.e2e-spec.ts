import { randomBytes } from 'node:crypto';
import type { BundleCheckpointLine } from '@custos/contracts';
import { runMigrations } from '@custos/persistence';
import {
  ApiClient,
  adminUrl,
  appUrl,
  auditEvents,
  collectPages,
  exportAuditBundle,
  issueToken,
  pollUntil,
  runCli,
  signupTenant,
  startApi,
  startWorker,
  tempFile,
  tenantJwks,
  withAdminClient,
  type CheckpointBody,
  type RunningApi,
  type RunningProcess,
  type TestTenant,
} from '@custos/testing';

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * The worker signs checkpoints on its schedule and rotates signing keys when they are old, and an
 * export spanning a rotation still verifies. A scheduled checkpoint signs every tenant of the database,
 * so this runs on a database of its own, with its own api and worker.
 */
describe('scheduled checkpoints and signing-key rotation', () => {
  const database = `custos_ckp_${randomBytes(4).toString('hex')}`;
  let api: RunningApi;
  let worker: RunningProcess;
  let tenant: TestTenant;

  const checkpointsOf = async (): Promise<CheckpointBody[]> =>
    (await collectPages<CheckpointBody>(tenant.owner, '/v1/audit-events/checkpoints', 200)).items;
  /** Waits for the worker's next checkpoint after `count` of them, and returns them all, newest first. */
  const nextCheckpoint = (count: number) => pollUntil(checkpointsOf, (all) => all.length > count, { timeoutMs: 15_000, intervalMs: 100 });

  beforeAll(async () => {
    await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${database}`));
    await runMigrations(adminUrl(database));
    const env = { DATABASE_URL: appUrl(database), DATABASE_MIGRATION_URL: adminUrl(database) };
    api = await startApi(env);
    worker = await startWorker({
      ...env,
      CUSTOS_QUEUE_PREFIX: `{custos-ckp-${randomBytes(4).toString('hex')}}`,
      CUSTOS_CHECKPOINT_INTERVAL_MS: '300',
      CUSTOS_NOTICE_INTERVAL_MS: '300',
      CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200',
    });
    tenant = await signupTenant(new ApiClient(api.url), 'Scheduled');
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  it('signs the head of a tenant with new events, as the system', async () => {
    const [checkpoint] = await nextCheckpoint(0);
    expect(checkpoint).toMatchObject({ prev: null, kid: expect.any(String) });
    const [signed] = await auditEvents(tenant.owner, 'action=audit.checkpoint_signed');
    expect(signed).toMatchObject({ actorType: 'system', actorId: null, targetId: checkpoint!.id, seq: checkpoint!.seq + 2 });
  });

  it('skips a tenant whose head has not moved since, and signs again once it has', async () => {
    const before = await checkpointsOf();
    // Several runs of the schedule: each finds nothing new but the last checkpoint's own events.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await checkpointsOf()).toEqual(before);
    await issueToken(tenant.owner);
    const after = await nextCheckpoint(before.length);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ prev: before[0]!.id, kid: before[0]!.kid });
  });

  it('rotates an old key, keeps it in the JWKS, and checkpoints it signed still verify', async () => {
    const before = await checkpointsOf();
    const oldKid = before[0]!.kid;
    await withAdminClient(database, (client) =>
      client.query(`UPDATE signing_keys SET created_at = now() - interval '91 days' WHERE tenant_id = $1`, [tenant.tenantId]),
    );
    // The rotation is an event, so the next checkpoint follows it, signed with the new key.
    const after = await pollUntil(checkpointsOf, (all) => all.length > before.length && all[0]!.kid !== oldKid, { timeoutMs: 15_000, intervalMs: 100 });
    const newKid = after[0]!.kid;
    const [rotated] = await auditEvents(tenant.owner, 'action=signing_key.rotated');
    expect(rotated).toMatchObject({ actorType: 'system', targetId: newKid, data: { kid: newKid, previousKid: oldKid, alg: 'ES256' } });
    const jwks = await tenantJwks(tenant.owner);
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

    const bundle = await exportAuditBundle(tenant.owner);
    // Every checkpoint up to the bundle's end, the one the export signed over it last (the worker may sign more after it).
    const lastSeq = bundle.lines.filter((l) => l.type === 'event').length;
    const covering = (await checkpointsOf()).filter((c) => c.seq <= lastSeq);
    const inBundle = bundle.lines.filter((l): l is BundleCheckpointLine => l.type === 'checkpoint');
    expect(inBundle.map((c) => c.jws)).toEqual(covering.map((c) => c.jws).reverse());
    expect(inBundle.at(-1)).toMatchObject({ seq: lastSeq });
    expect(covering.length).toBeGreaterThan(after.length);
    const bundlePath = tempFile('bundle.jsonl', bundle.text);
    const ok = `OK ${lastSeq} events, ${covering.length} checkpoints\n`;
    expect(await runCli(['audit', 'verify', bundlePath])).toMatchObject({ code: 0, stdout: ok });
    expect(await runCli(['audit', 'verify', bundlePath, '--jwks', tempFile('jwks.json', JSON.stringify(jwks))])).toMatchObject({ code: 0, stdout: ok });
    // Without the retired key, the checkpoints it signed no longer verify: it must stay published.
    const onlyNew = tempFile('jwks.json', JSON.stringify({ keys: jwks.keys.filter((k) => k.kid === newKid) }));
    const oldest = after[after.length - 1]!;
    expect(await runCli(['audit', 'verify', bundlePath, '--jwks', onlyNew])).toMatchObject({
      code: 1,
      stdout: `FAIL checkpoint at seq ${oldest.seq}: signature does not verify: no key with kid ${oldKid} in the JWKS\n`,
    });
  });
});
