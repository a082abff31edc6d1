import { CHECKPOINT_JWS_TYPE, ErrorCode } from '@custos/contracts';
import { generateSigningKey, verifyJws } from '@custos/crypto';
import { createTenant, storedAuditEvents, testSecretBox, useMediumDatabase } from '@custos/fixtures';
import { ActorRepository, AuditChainRepository, AuditEventRepository, SigningKeyRepository } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { AuditCheckpoints } from './audit-checkpoints';
import { AuditLog, SYSTEM_ACTOR } from './audit-log';
import { AuditQuery } from './audit-query';
import { AuditSealer } from './audit-sealer';
import { SIGNING_KEY_PURPOSE, SigningKeys } from './signing-keys';

const META = { requestId: 'req_keys', ip: null };
const owner = (tenantId: string, scopes = ['custos:audit:read', 'custos:audit:checkpoint']): Principal => ({
  tenantId,
  kind: 'user',
  id: 'usr_owner',
  email: null,
  name: null,
  scopes,
  role: 'owner',
  ownerServiceId: null,
  sessionId: null,
});

/** SigningKeys on the real database: one signing key per tenant, rotated without losing what the old ones signed. */
describe('SigningKeys', () => {
  const db = useMediumDatabase(6);
  const chain = new AuditChainRepository();
  const events = new AuditEventRepository();
  const stored = new SigningKeyRepository();
  const box = testSecretBox();
  const sealer = new AuditSealer(db, chain, events);
  const audit = new AuditLog(sealer, events, chain);
  const keys = new SigningKeys(db, audit, box, stored);
  const checkpoints = new AuditCheckpoints(db, audit, sealer, keys, chain);
  const query = new AuditQuery(db, sealer, keys, chain, events, new ActorRepository());

  afterEach(() => sealer.drain());

  async function tenantWithEvents(): Promise<string> {
    const tenantId = await createTenant(db);
    await db.tenant(tenantId, (tx) => audit.record(tx, META, { action: 'token.issued', actor: SYSTEM_ACTOR, target: { type: 'token', id: 'tok_k' } }));
    await sealer.drain();
    return tenantId;
  }

  it('makes a key on first use, with its event for the caller to write, and signs with it from then on', async () => {
    const tenantId = await createTenant(db);
    expect(await keys.jwks(owner(tenantId))).toEqual({ keys: [] });
    const made = await db.tenant(tenantId, (tx) => keys.signingKey(tx, SYSTEM_ACTOR));
    expect(made.created).toEqual({
      action: 'signing_key.created',
      actor: SYSTEM_ACTOR,
      target: { type: 'signing_key', id: made.key.kid },
      data: { kid: made.key.kid, alg: 'ES256' },
    });
    const again = await db.tenant(tenantId, (tx) => keys.signingKey(tx, SYSTEM_ACTOR));
    expect(again).toEqual({ key: made.key, created: null });
    expect((await keys.jwks(owner(tenantId))).keys.map((k) => k.kid)).toEqual([made.key.kid]);
    await expect(keys.jwks(owner(tenantId, ['custos:tokens:read']))).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
  });

  it('rotates an old key: the new one signs, the old one stays published and what it signed still verifies', async () => {
    const tenantId = await tenantWithEvents();
    const before = await checkpoints.sign(owner(tenantId), META);
    expect(await keys.rotateIfOld(tenantId, 1)).toBe(false); // made today
    expect(await keys.rotateIfOld(tenantId, 0)).toBe(true);
    const after = await checkpoints.sign(owner(tenantId), META);
    expect(after.kid).not.toBe(before.kid);

    const jwks = await keys.jwks(owner(tenantId));
    expect(jwks.keys.map((k) => k.kid)).toEqual([after.kid, before.kid]); // the signing one first
    expect(await verifyJws(before.jws, jwks, CHECKPOINT_JWS_TYPE)).toMatchObject({ valid: true, kid: before.kid });
    expect(await verifyJws(after.jws, jwks, CHECKPOINT_JWS_TYPE)).toMatchObject({ valid: true, kid: after.kid });
    expect(await query.verify(owner(tenantId))).toMatchObject({ valid: true, checkedCheckpoints: 2 });
    expect((await storedAuditEvents(db, tenantId)).find((e) => e.action === 'signing_key.rotated')!.data).toEqual({
      kid: after.kid,
      previousKid: before.kid,
      alg: 'ES256',
    });
  });

  it('publishes only keys this installation made: one slipped into the database verifies nothing', async () => {
    const tenantId = await tenantWithEvents();
    const signed = await checkpoints.sign(owner(tenantId), META);
    // Someone with the database but not the master key puts in a key of their own, to sign with.
    const foreign = await generateSigningKey();
    const sealedElsewhere = testSecretBox().seal(SIGNING_KEY_PURPOSE, `${tenantId}/${foreign.kid}`, foreign.privateJwk);
    await db.tenant(tenantId, async (tx) => {
      await stored.retire(tx, signed.kid);
      await stored.insert(tx, { kid: foreign.kid, publicJwk: foreign.publicJwk, privateSealed: sealedElsewhere });
    });
    expect((await db.tenant(tenantId, (tx) => stored.allKeys(tx))).map((k) => k.kid)).toEqual([foreign.kid, signed.kid]);
    expect((await keys.jwks(owner(tenantId))).keys.map((k) => k.kid)).toEqual([signed.kid]);
  });

  it("keeps each tenant's keys to itself", async () => {
    const [a, b] = [await tenantWithEvents(), await tenantWithEvents()];
    const signedA = await checkpoints.sign(owner(a), META);
    const signedB = await checkpoints.sign(owner(b), META);
    expect(signedA.kid).not.toBe(signedB.kid);
    const jwksB = await keys.jwks(owner(b));
    expect(jwksB.keys.map((k) => k.kid)).toEqual([signedB.kid]);
    expect(await verifyJws(signedA.jws, jwksB, CHECKPOINT_JWS_TYPE)).toMatchObject({ valid: false });
  });
});
