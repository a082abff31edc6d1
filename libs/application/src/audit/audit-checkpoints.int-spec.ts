import { CHECKPOINT_JWS_TYPE, ErrorCode } from '@custos/contracts';
import { verifyJws } from '@custos/crypto';
import { checkpointSignatureProblem } from '@custos/domain';
import { createTenant, storedAuditEvents, storedAuditHead, testSecretBox, useMediumDatabase } from '@custos/fixtures';
import { AuditChainRepository, AuditEventRepository, SigningKeyRepository } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { AuditCheckpoints, type CheckpointView } from './audit-checkpoints';
import { AuditLog, SYSTEM_ACTOR } from './audit-log';
import { AuditSealer } from './audit-sealer';
import { SigningKeys } from './signing-keys';

const META = { requestId: 'req_checkpoint', ip: null };
const admin = (tenantId: string, scopes = ['custos:audit:read', 'custos:audit:checkpoint']): Principal => ({
  tenantId,
  kind: 'user',
  id: 'usr_admin',
  email: null,
  name: null,
  scopes,
  role: 'admin',
  ownerServiceId: null,
  sessionId: null,
});

/** AuditCheckpoints on the real database: signed heads, linked one to the next, on demand and when due. */
describe('AuditCheckpoints', () => {
  const db = useMediumDatabase(6);
  const chain = new AuditChainRepository();
  const events = new AuditEventRepository();
  const sealer = new AuditSealer(db, chain, events);
  const audit = new AuditLog(sealer, events, chain);
  const keys = new SigningKeys(db, audit, testSecretBox(), new SigningKeyRepository());
  const checkpoints = new AuditCheckpoints(db, audit, sealer, keys, chain);

  afterEach(() => sealer.drain());

  async function issue(tenantId: string, n: number): Promise<void> {
    await db.tenant(tenantId, (tx) =>
      audit.record(tx, META, ...Array.from({ length: n }, (_, i) => ({ action: 'token.issued' as const, actor: SYSTEM_ACTOR, target: { type: 'token', id: `tok_${i}` } }))),
    );
    await sealer.drain();
  }

  /** Why the checkpoint's JWS does not vouch for it under the tenant's published keys; null when it does. */
  async function signatureProblem(tenantId: string, checkpoint: CheckpointView): Promise<string | null> {
    const jwks = await db.tenant(tenantId, (tx) => keys.publicKeys(tx));
    const { id, seq, hash, at, prev } = checkpoint;
    return checkpointSignatureProblem(await verifyJws(checkpoint.jws, jwks, CHECKPOINT_JWS_TYPE), { id, tenantId, seq, hash, at, prev }, 'the stored one');
  }

  it('signs the head on demand, after the events pending, and records it right after the head', async () => {
    const tenantId = await createTenant(db);
    await issue(tenantId, 3);
    const first = await checkpoints.sign(admin(tenantId), META);
    const hashAt3 = (await storedAuditEvents(db, tenantId))[2]!.hash;
    expect(first).toMatchObject({ id: expect.stringMatching(/^ckp_/), seq: 3, hash: hashAt3, prev: null });
    expect(await signatureProblem(tenantId, first)).toBeNull();
    const stored = await storedAuditEvents(db, tenantId);
    expect(stored.slice(3).map((e) => [e.seq, e.action])).toEqual([
      [4, 'signing_key.created'],
      [5, 'audit.checkpoint_signed'],
    ]);
    expect(stored[4]!.data).toEqual({ checkpointId: first.id, seq: 3, hash: hashAt3, kid: first.kid });

    await issue(tenantId, 2);
    const second = await checkpoints.sign(admin(tenantId), META);
    expect(second).toMatchObject({ seq: 7, prev: first.id, kid: first.kid });
    expect(await signatureProblem(tenantId, second)).toBeNull();
    expect(await storedAuditHead(db, tenantId)).toMatchObject({ seq: 8 });
  });

  it('refuses without the checkpoint scope, and when there is nothing to sign', async () => {
    const tenantId = await createTenant(db);
    await expect(checkpoints.sign(admin(tenantId, ['custos:audit:read']), META)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    await expect(checkpoints.sign(admin(tenantId), META)).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
    expect(await storedAuditEvents(db, tenantId)).toEqual([]);
  });

  it('lists newest first, a page at a time, to readers of the tenant only', async () => {
    const tenantId = await createTenant(db);
    const signed: CheckpointView[] = [];
    for (let i = 0; i < 3; i++) {
      await issue(tenantId, 1);
      signed.push(await checkpoints.sign(admin(tenantId), META));
    }
    const first = await checkpoints.list(admin(tenantId), { limit: 2 });
    expect(first.items).toEqual([signed[2], signed[1]]);
    const second = await checkpoints.list(admin(tenantId), { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [signed[0]], nextCursor: null });
    await expect(checkpoints.list(admin(tenantId, ['custos:audit:checkpoint']), { limit: 2 })).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    const other = await createTenant(db);
    expect(await checkpoints.list(admin(other), { limit: 10 })).toEqual({ items: [], nextCursor: null });
  });

  it('signs a tenant when due: at once without a checkpoint, then after N events of its own past the latest', async () => {
    const tenantId = await createTenant(db);
    const byCount = { everyEvents: 3, maxAgeMs: null };
    expect(await checkpoints.signIfDue(tenantId, byCount)).toBeNull(); // nothing yet
    await issue(tenantId, 2);
    expect(await checkpoints.signIfDue(tenantId, byCount)).toBeNull(); // 2 < 3
    expect(await checkpoints.signIfDue(tenantId, { everyEvents: null, maxAgeMs: 60_000 })).toMatchObject({ seq: 2 }); // none yet: due by age
    // Its own events (key, checkpoint) do not make it due again.
    expect(await checkpoints.signIfDue(tenantId, { everyEvents: 1, maxAgeMs: 0 })).toBeNull();
    await issue(tenantId, 2);
    expect(await checkpoints.signIfDue(tenantId, byCount)).toBeNull();
    await issue(tenantId, 1);
    expect(await checkpoints.signIfDue(tenantId, byCount)).toMatchObject({ seq: 7 });
  });
});
