import { CHECKPOINT_JWS_TYPE, type BundleCheckpointLine, type BundleHeaderLine } from '@custos/contracts';
import { generateSigningKey, signJws } from '@custos/crypto';
import { checkpointPayloadJson } from '@custos/domain';
import {
  asOwner,
  ApiClient,
  alterCheckpointHash,
  auditEvents,
  cutAuditChain,
  exportAuditBundle,
  issueToken,
  pollUntil,
  runCli,
  signCheckpoint,
  signupTenant,
  storedChain,
  tempFile,
  tenantJwks,
  verifyAuditChain,
  type CheckpointBody,
  type ExportedBundle,
  type TestTenant,
} from '@custos/testing';

const headerOf = (b: ExportedBundle): BundleHeaderLine => b.lines[0] as BundleHeaderLine;
const checkpointLines = (b: ExportedBundle): BundleCheckpointLine[] => b.lines.filter((l): l is BundleCheckpointLine => l.type === 'checkpoint');
const verifyBundle = (b: ExportedBundle, ...args: string[]) => runCli(['audit', 'verify', tempFile('bundle.jsonl', b.text), ...args]);
const issueSome = async (tenant: TestTenant, count: number): Promise<void> => {
  for (let i = 0; i < count; i++) await issueToken(tenant.owner);
};

/**
 * Issue 12, finding 4: someone with superuser access to the database deletes the newest audit events
 * behind the append-only trigger and moves the chain head back. The chain that is left verifies on its
 * own; the signed checkpoints are what give it away, on the server and in `custos audit verify`, and the
 * server chains nothing more onto the forged head.
 */
describe('the newest audit events cut off behind the database', () => {
  const api = ApiClient.fromEnv();

  describe('with the checkpoint rows left in place', () => {
    let tenant: TestTenant;
    let second: CheckpointBody;
    let cutAt: number;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Truncated');
      await issueSome(tenant, 3);
      await signCheckpoint(tenant.owner);
      await issueSome(tenant, 3);
      second = await signCheckpoint(tenant.owner);
      await issueSome(tenant, 2);
      expect((await verifyAuditChain(tenant.owner)).valid).toBe(true);
      cutAt = second.seq - 2;
      await cutAuditChain(tenant.tenantId, cutAt);
    });

    it('GET /v1/audit-events/verify answers invalid, saying which checkpoint the chain falls short of', async () => {
      expect(await verifyAuditChain(tenant.owner)).toMatchObject({
        valid: false,
        headSeq: cutAt,
        firstInvalidSeq: cutAt + 1,
        reason: `the chain ends at seq ${cutAt} but checkpoint ${second.id} signed seq ${second.seq}`,
      });
    });

    it('an export of it fails `custos audit verify`, which names the checkpoint beyond its end', async () => {
      const bundle = await exportAuditBundle(tenant.owner);
      expect(headerOf(bundle)).toMatchObject({ lastSeq: cutAt, to: null });
      expect(checkpointLines(bundle).map((c) => c.id)).toContain(second.id);
      expect(await verifyBundle(bundle)).toEqual({
        code: 1,
        stdout: `FAIL bundle: ends at seq ${cutAt}, but checkpoint ${second.id} signed seq ${second.seq}: events were cut from the end of the chain\n`,
        stderr: '',
      });
    });

    it('chains nothing more onto the forged head: new events stay unsealed, and no checkpoint signs it', async () => {
      await issueToken(tenant.owner);
      const refused = await tenant.owner.post<{ code: string; detail: string }>('/v1/audit-events/checkpoints', {});
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining(`checkpoint ${second.id} signed seq ${second.seq}`) });
      const chain = await pollUntil(() => storedChain(tenant.tenantId), (c) => c.unsealed >= 1, { timeoutMs: 5000, intervalMs: 50 });
      expect(chain.headSeq).toBe(cutAt);
      // The trail can still be read and verified; it stays invalid.
      expect((await tenant.owner.get('/v1/audit-events')).status).toBe(200);
      expect(await verifyAuditChain(tenant.owner)).toMatchObject({ valid: false, firstInvalidSeq: cutAt + 1 });
      expect(await storedChain(tenant.tenantId)).toEqual({ headSeq: cutAt, unsealed: chain.unsealed });
      // Counted where an operator's alerting looks.
      const metrics = await api.get<string>('/metrics');
      expect(Number(/^custos_audit_chain_refusals (\d+)$/m.exec(metrics.body)?.[1])).toBeGreaterThan(0);
    });
  });

  describe('with the checkpoint rows deleted too, against a checkpoint kept outside', () => {
    let tenant: TestTenant;
    let earlier: ExportedBundle;
    let kept: BundleCheckpointLine;
    let keptPath: string;

    beforeAll(async () => {
      tenant = await signupTenant(api, 'Truncated, no trace');
      await issueSome(tenant, 3);
      earlier = await exportAuditBundle(tenant.owner);
      keptPath = tempFile('earlier.jsonl', earlier.text);
      kept = checkpointLines(earlier).at(-1)!;
      expect(kept.seq).toBe(headerOf(earlier).lastSeq);
      await issueSome(tenant, 3);
      await cutAuditChain(tenant.tenantId, kept.seq - 2, { checkpointsToo: true });
    });

    it('a new export ending before the kept checkpoint fails when verified with it', async () => {
      const bundle = await exportAuditBundle(tenant.owner);
      const end = checkpointLines(bundle).at(-1)!;
      expect(headerOf(bundle).lastSeq).toBe(kept.seq - 2);
      // On its own the bundle is consistent: the database held nothing more.
      expect(await verifyBundle(bundle)).toMatchObject({ code: 0 });
      expect(await verifyBundle(bundle, '--checkpoints', keptPath)).toEqual({
        code: 1,
        stdout:
          `FAIL checkpoint at seq ${end.seq} (${end.id}) was signed at ${end.at}, after checkpoint ${kept.id} (from --checkpoints) ` +
          `had signed seq ${kept.seq} at ${kept.at}: the chain was cut back and signed again in between\n`,
        stderr: '',
      });
      // And the earlier bundle, verified with the newer one's checkpoints, fails the same way.
      const newerPath = tempFile('newer.jsonl', bundle.text);
      expect(await runCli(['audit', 'verify', keptPath, '--checkpoints', newerPath])).toMatchObject({ code: 1, stdout: expect.stringMatching(/^FAIL checkpoint at seq \d+ .*the chain was cut back/) });
    });

    it('a new export that has grown past the kept checkpoint again fails at its seq', async () => {
      await issueSome(tenant, 4);
      const bundle = await exportAuditBundle(tenant.owner);
      expect(headerOf(bundle).lastSeq).toBeGreaterThan(kept.seq);
      const event = bundle.lines.find((l) => l.type === 'event' && l.seq === kept.seq) as { hash: string };
      expect(await verifyBundle(bundle, '--checkpoints', keptPath)).toEqual({
        code: 1,
        stdout: `FAIL checkpoint at seq ${kept.seq} (${kept.id}, from --checkpoints): signs hash ${kept.hash}, but event ${kept.seq} has ${event.hash}\n`,
        stderr: '',
      });
    });
  });

  describe('a checkpoint row forged', () => {
    it('with a key slipped into signing_keys: the key is not published and what it signed fails', async () => {
      const tenant = await signupTenant(api, 'Forged key');
      await issueSome(tenant, 2);
      const real = await signCheckpoint(tenant.owner);
      await issueSome(tenant, 1);
      const [signed] = await auditEvents(tenant.owner, 'action=audit.checkpoint_signed');
      const forger = await generateSigningKey();
      const payload = { id: 'ckp_forged', tenantId: tenant.tenantId, seq: signed!.seq, hash: signed!.hash, at: new Date().toISOString(), prev: real.id };
      const jws = await signJws(forger.privateJwk, checkpointPayloadJson(payload), CHECKPOINT_JWS_TYPE);
      await asOwner(async (db) => {
        await db.query(`INSERT INTO signing_keys (tenant_id, kid, public_jwk, private_sealed, retired_at) VALUES ($1, $2, $3, 'v1.not.sealed.here', now())`, [
          tenant.tenantId,
          forger.kid,
          JSON.stringify(forger.publicJwk),
        ]);
        await db.query(
          `INSERT INTO audit_checkpoints (tenant_id, id, seq, hash, at, prev_checkpoint_id, kid, jws, event_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [tenant.tenantId, payload.id, payload.seq, payload.hash, payload.at, payload.prev, forger.kid, jws, payload.seq + 1],
        );
      });
      expect((await tenantJwks(tenant.owner)).keys.map((k) => k.kid)).toEqual([real.kid]);
      expect(await verifyAuditChain(tenant.owner)).toMatchObject({
        valid: false,
        firstInvalidSeq: payload.seq,
        reason: `checkpoint ckp_forged (seq ${payload.seq}): signature does not verify: no key with kid ${forger.kid} in the JWKS`,
        checkedCheckpoints: 2,
      });
    });
  });

  describe('a checkpoint row altered', () => {
    it('fails its signature in GET /v1/audit-events/verify', async () => {
      const tenant = await signupTenant(api, 'Forged checkpoint');
      await issueSome(tenant, 2);
      const first = await signCheckpoint(tenant.owner);
      await issueSome(tenant, 2);
      await signCheckpoint(tenant.owner);
      const [before] = await auditEvents(tenant.owner, 'action=token.issued');
      await alterCheckpointHash(tenant.tenantId, first.id, before!.hash);
      expect(await verifyAuditChain(tenant.owner)).toMatchObject({
        valid: false,
        firstInvalidSeq: first.seq,
        reason: `checkpoint ${first.id} (seq ${first.seq}): the signed hash differs from the stored one`,
      });
    });
  });
});
