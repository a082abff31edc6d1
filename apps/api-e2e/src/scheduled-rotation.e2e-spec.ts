import { randomUUID } from 'node:crypto';
import jose from 'node-jose';
import {
  ApiClient,
  asOwner,
  auditEvents,
  createService,
  issueToken,
  pollUntil,
  serviceKey,
  signupTenant,
  startWorker,
  verifyToken,
  type RunningProcess,
  type TestTenant,
  type TokenBody,
} from '@custos/testing';

interface Handover {
  tokenId: string;
  expiresAt: string;
  graceEndsAt: string;
  format: 'jwe' | 'plain';
  jwe?: string;
  secret?: string;
}

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * A token with a rotation interval is rotated by the worker when it is due, and the successor reaches
 * the owning service safely: encrypted to its public key, fetched once with the old token.
 */
describe('scheduled rotation, as a service lives it', () => {
  const api = ApiClient.fromEnv();
  let worker: RunningProcess;
  let tenant: TestTenant;
  let admin: ApiClient;

  beforeAll(async () => {
    worker = await startWorker({
      CUSTOS_QUEUE_PREFIX: `{custos-rotation-${randomUUID().slice(0, 8)}}`,
      CUSTOS_SWEEP_INTERVAL_MS: '200',
      CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200',
    });
    tenant = await signupTenant(api, 'Rotation');
    admin = (await serviceKey(tenant)).client;
  });
  afterAll(async () => {
    await worker?.stop();
  });

  const fetchSuccessor = (oldSecret: string) =>
    api.anonymous().request<Handover>('POST', '/v1/tokens/self/successor', undefined, { authorization: `Bearer ${oldSecret}` });

  /** Issues a rotating token and makes its rotation due now, as if its interval had passed. */
  async function dueToken(serviceId: string): Promise<{ token: TokenBody; secret: string }> {
    const issued = await issueToken(admin, { ownerServiceId: serviceId, rotationIntervalSeconds: 86_400, gracePeriodSeconds: 3600, expiresInSeconds: 30 * 86_400 });
    await asOwner((db) => db.query(`UPDATE tokens SET next_rotation_at = now() WHERE id = $1`, [issued.token.id]));
    return issued;
  }

  const statusOf = async (id: string) => (await admin.get<TokenBody>(`/v1/tokens/${id}`)).body.status;

  it('delivers the successor as a JWE only the service can open, once, during the grace period', async () => {
    const keystore = jose.JWK.createKeyStore();
    const key = await keystore.generate('EC', 'P-256');
    const service = await createService(admin, { allowedScopes: ['orders:read'], publicJwk: key.toJSON(false) });
    const old = await dueToken(service.id);

    await pollUntil(() => statusOf(old.token.id), (s) => s === 'rotating', { timeoutMs: 20_000 });
    const handed = await fetchSuccessor(old.secret);
    expect(handed.status).toBe(200);
    expect(handed.headers.get('cache-control')).toBe('no-store');
    expect(handed.body).toMatchObject({ format: 'jwe', tokenId: expect.stringMatching(/^tok_/) });
    expect(handed.body.secret).toBeUndefined();

    const opened = await jose.JWE.createDecrypt(keystore).decrypt(handed.body.jwe!);
    const inner = JSON.parse(opened.plaintext.toString('utf8')) as { tokenId: string; secret: string };
    expect(inner.tokenId).toBe(handed.body.tokenId);
    expect(await verifyToken(admin, inner.secret, { scopes: ['orders:read'] })).toMatchObject({ valid: true, tokenId: inner.tokenId });
    // The old token still works during its grace period.
    expect(await verifyToken(admin, old.secret)).toMatchObject({ valid: true, tokenId: old.token.id });

    const again = await fetchSuccessor(old.secret);
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ code: 'ALREADY_FETCHED' });

    const successor = await admin.get<TokenBody>(`/v1/tokens/${inner.tokenId}`);
    expect(successor.body).toMatchObject({ status: 'active', scopes: ['orders:read'], ownerServiceId: service.id });
    const events = await auditEvents(admin, `target=${old.token.id}`);
    expect(events.find((e) => e.action === 'token.rotated')).toMatchObject({ actorType: 'system', data: { successorId: inner.tokenId, delivery: 'jwe' } });
    const fetched = await auditEvents(admin, `action=token.successor_fetched`);
    expect(fetched.map((e) => e.targetId)).toContain(inner.tokenId);
  });

  it('hands a service without a key its successor in the clear, once, and keeps none of it afterwards', async () => {
    const service = await createService(admin, { allowedScopes: ['orders:read'] });
    const old = await dueToken(service.id);
    await pollUntil(() => statusOf(old.token.id), (s) => s === 'rotating', { timeoutMs: 20_000 });

    const stored = await asOwner((db) =>
      db.query<{ jwe: string | null; sealed_secret: string | null }>(`SELECT jwe, sealed_secret FROM token_successor_pickups WHERE predecessor_id = $1`, [old.token.id]),
    );
    expect(stored.rows[0]?.jwe).toBeNull();
    expect(stored.rows[0]?.sealed_secret).toMatch(/^v1\./);

    const handed = await fetchSuccessor(old.secret);
    expect(handed.body).toMatchObject({ format: 'plain', secret: expect.stringMatching(/^cus_live_/) });
    expect(stored.rows[0]?.sealed_secret).not.toContain(handed.body.secret!);
    expect(await verifyToken(admin, handed.body.secret!)).toMatchObject({ valid: true, tokenId: handed.body.tokenId });
    const after = await asOwner((db) =>
      db.query(`SELECT 1 FROM token_successor_pickups WHERE predecessor_id = $1 AND jwe IS NULL AND sealed_secret IS NULL AND fetched_at IS NOT NULL`, [old.token.id]),
    );
    expect(after.rowCount).toBe(1);
  });

  it('refuses anyone but the old token, and old tokens with nothing waiting', async () => {
    const service = await createService(admin, { allowedScopes: ['orders:read'] });
    const old = await dueToken(service.id);
    await pollUntil(() => statusOf(old.token.id), (s) => s === 'rotating', { timeoutMs: 20_000 });

    const tampered = `${old.secret.slice(0, -8)}AAAAAAAA`;
    expect((await fetchSuccessor(tampered)).status).toBe(401);
    expect((await api.anonymous().request('POST', '/v1/tokens/self/successor')).status).toBe(401);
    const unrelated = await issueToken(admin);
    expect(await fetchSuccessor(unrelated.secret)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });

    // A person's rotation hands the secret to that person: nothing waits for the service.
    const manual = await issueToken(admin, { ownerServiceId: service.id });
    expect((await admin.post(`/v1/tokens/${manual.token.id}/rotate`, {})).status).toBe(201);
    expect((await fetchSuccessor(manual.secret)).status).toBe(404);

    // After the grace period the old token cannot fetch anything.
    await asOwner((db) => db.query(`UPDATE tokens SET grace_ends_at = now() - interval '1 second' WHERE id = $1`, [old.token.id]));
    expect((await fetchSuccessor(old.secret)).status).toBe(404);
  });

  it('rotates the successor again when its own interval comes round', async () => {
    const service = await createService(admin, { allowedScopes: ['orders:read'] });
    const first = await dueToken(service.id);
    await pollUntil(() => statusOf(first.token.id), (s) => s === 'rotating', { timeoutMs: 20_000 });
    const second = (await fetchSuccessor(first.secret)).body;
    await asOwner((db) => db.query(`UPDATE tokens SET next_rotation_at = now() WHERE id = $1`, [second.tokenId]));
    await pollUntil(() => statusOf(second.tokenId), (s) => s === 'rotating', { timeoutMs: 20_000 });
    const lineage = await admin.get<{ items?: TokenBody[] } | TokenBody[]>(`/v1/tokens/${first.token.id}/lineage`);
    expect(lineage.status).toBe(200);
    expect(JSON.stringify(lineage.body)).toContain(second.tokenId);
  });
});
