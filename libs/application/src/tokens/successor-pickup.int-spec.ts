import jose from 'node-jose';
import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { auditEventsOf, createService, createTokenTenant, useMediumDatabase } from '@custos/fixtures';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import type { RotatedTokens, RotationNotice } from './token-issuer.service';
import { requireToken } from './token-lookups';
import { meta, person, tokenUseCases } from '../testing/token-use-cases';

/**
 * A scheduled rotation's successor on the real database: waiting, never in plaintext, for the service
 * that owns the token, which fetches it once with the old token during the grace period.
 */
describe('SuccessorPickup', () => {
  const db = useMediumDatabase();
  const { issuer, pickup, tokens, sealer } = tokenUseCases(db);
  afterEach(() => sealer.drain());

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  };
  const input = { name: 'service key', scopes: ['orders:read'], expiresInSeconds: 3600 };

  /** What the worker's rotation sweep does for a due token, in one transaction. */
  const rotateOnSchedule = (tenantId: string, tokenId: string) =>
    db.tenant(tenantId, async (tx): Promise<RotatedTokens & { notice: RotationNotice }> => {
      const old = requireToken(await tokens.lockById(tx, tokenId));
      let notice: RotationNotice = {};
      const rotation = await issuer.rotateLocked(tx, { actor: SYSTEM_ACTOR, callerScopes: old.scopes }, old, {}, meta('req-sweep'), async (successor, secret) =>
        (notice = await pickup.prepare(tx, old, successor, secret)),
      );
      return { ...rotation, notice };
    });

  it('hands the successor to the old token once, sealed until then', async () => {
    const tenantId = await createTokenTenant(db);
    const svc = await createService(db, tenantId);
    const old = await issuer.issue(person(tenantId, 'owner'), { ...input, ownerServiceId: svc }, meta());
    const rotation = await rotateOnSchedule(tenantId, old.token.id);
    expect(rotation.notice).toEqual({ data: { delivery: 'pickup' }, webhookData: { successorPickup: '/v1/tokens/self/successor' } });
    const handed = await pickup.fetch(old.secret, meta('req-fetch'));
    expect(handed).toEqual({
      tokenId: rotation.successor.id,
      expiresAt: rotation.successor.expiresAt.toISOString(),
      graceEndsAt: rotation.predecessor.graceEndsAt?.toISOString(),
      format: 'plain',
      secret: rotation.secret,
    });
    expect((await refusal(pickup.fetch(old.secret, meta()))).code).toBe(ErrorCode.ALREADY_FETCHED);
    expect(await auditEventsOf(db, tenantId, 'token.successor_fetched')).toEqual([
      { action: 'token.successor_fetched', actorType: 'service_key', actorId: old.token.id, targetId: rotation.successor.id, requestId: 'req-fetch',
        data: { predecessorId: old.token.id, format: 'plain' } },
    ]);
  });

  it("encrypts the successor to the service's public key when it registered one", async () => {
    const tenantId = await createTokenTenant(db);
    const keystore = jose.JWK.createKeyStore();
    const key = await keystore.generate('EC', 'P-256');
    const svc = await createService(db, tenantId, { publicJwk: key.toJSON() });
    const old = await issuer.issue(person(tenantId, 'owner'), { ...input, ownerServiceId: svc }, meta());
    const rotation = await rotateOnSchedule(tenantId, old.token.id);
    const handed = await pickup.fetch(old.secret, meta());
    if (handed.format !== 'jwe') throw new Error(`expected a JWE, got ${handed.format}`);
    expect(rotation.notice.webhookData).toEqual({ successorJwe: handed.jwe });
    const opened = await jose.JWE.createDecrypt(keystore).decrypt(handed.jwe);
    expect(JSON.parse(opened.plaintext.toString('utf8'))).toEqual({ tokenId: rotation.successor.id, secret: rotation.secret, expiresAt: rotation.successor.expiresAt.toISOString() });
  });

  it('answers only the real old token, from an address it allows, while a successor waits for it', async () => {
    const tenantId = await createTokenTenant(db);
    const owner = person(tenantId, 'owner');
    const old = await issuer.issue(owner, { ...input, allowedCidrs: ['10.0.0.0/8'] }, meta());
    const byPerson = await issuer.issue(owner, input, meta());
    expect((await refusal(pickup.fetch(old.secret, meta('req', '10.0.0.1')))).code).toBe(ErrorCode.NOT_FOUND);
    await rotateOnSchedule(tenantId, old.token.id);
    await issuer.rotate(owner, byPerson.token.id, {}, meta());
    const forged = `${old.secret.slice(0, -8)}${old.secret.slice(-8).split('').reverse().join('')}`;
    expect((await refusal(pickup.fetch(forged, meta('req', '10.0.0.1')))).code).toBe(ErrorCode.UNAUTHENTICATED);
    expect((await refusal(pickup.fetch(old.secret, meta('req', '192.168.0.1')))).code).toBe(ErrorCode.UNAUTHENTICATED);
    expect((await refusal(pickup.fetch(byPerson.secret, meta()))).message).toMatch(/rotated by a person/);
    expect((await pickup.fetch(old.secret, meta('req', '10.0.0.1'))).format).toBe('plain');
  });
});
