import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@custos/contracts';
import { encryptToJwk, SecretBox, TokenHasher, type PublicJwk } from '@custos/crypto';
import { DomainError, IpAllowList, parseToken } from '@custos/domain';
import { Database, SuccessorPickupRepository, TokenRepository, type TokenEntity, type Tx } from '@custos/persistence';
import { AuditLog } from '../audit/audit-log';
import type { RequestMeta } from '../auth/principal';
import type { RotationNotice } from './token-issuer.service';

const SEAL_PURPOSE = 'successor-secret';

/** What a service receives for its rotated token: the successor encrypted to its key, or in the clear. */
export type SuccessorHandover =
  | { tokenId: string; expiresAt: string; graceEndsAt: string; format: 'jwe'; jwe: string }
  | { tokenId: string; expiresAt: string; graceEndsAt: string; format: 'plain'; secret: string };

/**
 * Gets a scheduled rotation's new secret to the service that owns the token, which no person is there
 * to copy it for. The secret waits, never in plaintext, until the service fetches it once with the old
 * token (during the grace period): as a JWE to the service's public key when it registered one (the
 * same JWE also rides the `token.rotated` webhook), otherwise sealed under CUSTOS_MASTER_KEY.
 */
export type SuccessorPickupTokens = Pick<TokenRepository, 'findOwnerService' | 'tenantOfLookupId' | 'findByLookupId' | 'findById'>;
export type SuccessorPickupStore = Pick<SuccessorPickupRepository, 'insert' | 'lockByPredecessor' | 'markFetched'>;

@Injectable()
export class SuccessorPickup {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly hasher: TokenHasher,
    private readonly box: SecretBox,
    @Inject(TokenRepository) private readonly tokens: SuccessorPickupTokens,
    @Inject(SuccessorPickupRepository) private readonly pickups: SuccessorPickupStore,
  ) {}

  /** Stores the successor for pickup, inside the rotation's transaction; says how it was delivered. */
  async prepare(tx: Tx, predecessor: TokenEntity, successor: TokenEntity, secret: string): Promise<RotationNotice> {
    const service = predecessor.ownerServiceId ? await this.tokens.findOwnerService(tx, predecessor.ownerServiceId) : undefined;
    const handover = { tokenId: successor.id, secret, expiresAt: successor.expiresAt.toISOString() };
    const jwe = service?.publicJwk
      ? await encryptToJwk(service.publicJwk as PublicJwk, JSON.stringify(handover), 'application/json')
      : null;
    await this.pickups.insert(tx, {
      tenantId: predecessor.tenantId,
      predecessorId: predecessor.id,
      successorId: successor.id,
      jwe,
      sealedSecret: jwe ? null : this.box.seal(SEAL_PURPOSE, `${predecessor.tenantId}/${predecessor.id}`, secret),
      availableUntil: predecessor.graceEndsAt,
    });
    return {
      data: { delivery: jwe ? 'jwe' : 'pickup' },
      webhookData: jwe ? { successorJwe: jwe } : { successorPickup: '/v1/tokens/self/successor' },
    };
  }

  /**
   * `POST /v1/tokens/self/successor`, authenticated by the old token itself: once, during the grace
   * period, from an address the old token allows.
   */
  async fetch(rawToken: string, meta: RequestMeta): Promise<SuccessorHandover> {
    const parsed = parseToken(rawToken);
    const refused = () => new DomainError(ErrorCode.UNAUTHENTICATED, 'The token is not valid.');
    if (!parsed) throw refused();
    const tenantId = await this.db.system((tx) => this.tokens.tenantOfLookupId(tx, parsed.lookupId));
    if (!tenantId) throw refused();
    return this.db.tenant(tenantId, async (tx) => {
      const old = await this.tokens.findByLookupId(tx, parsed.lookupId);
      if (!old || !this.hasher.matches(rawToken, old.secretHash, old.pepperId)) throw refused();
      if (old.allowedCidrs.length > 0 && !(meta.ip && new IpAllowList(old.allowedCidrs).allows(meta.ip))) throw refused();
      const now = new Date();
      if (old.status !== 'rotating' || !old.graceEndsAt || old.graceEndsAt <= now) {
        throw new DomainError(ErrorCode.NOT_FOUND, 'No successor is waiting for this token: it is not in a rotation grace period.');
      }
      const pickup = await this.pickups.lockByPredecessor(tx, old.id);
      if (!pickup) {
        throw new DomainError(ErrorCode.NOT_FOUND, 'No successor is waiting for this token: it was rotated by a person, who received the secret.');
      }
      if (pickup.fetchedAt) {
        throw new DomainError(ErrorCode.ALREADY_FETCHED, `The successor was already fetched at ${pickup.fetchedAt.toISOString()}.`);
      }
      const successor = await this.tokens.findById(tx, pickup.successorId);
      if (!successor) throw new Error(`the successor ${pickup.successorId} of ${old.id} is missing`);
      await this.pickups.markFetched(tx, old.id);
      await this.audit.record(tx, meta, {
        action: 'token.successor_fetched',
        actor: { type: 'service_key', id: old.id },
        target: { type: 'token', id: successor.id },
        data: { predecessorId: old.id, format: pickup.jwe ? 'jwe' : 'plain' },
      });
      const common = {
        tokenId: successor.id,
        expiresAt: successor.expiresAt.toISOString(),
        graceEndsAt: old.graceEndsAt.toISOString(),
      };
      return pickup.jwe
        ? { ...common, format: 'jwe' as const, jwe: pickup.jwe }
        : { ...common, format: 'plain' as const, secret: this.box.open(SEAL_PURPOSE, `${old.tenantId}/${old.id}`, pickup.sealedSecret!) };
    });
  }
}
