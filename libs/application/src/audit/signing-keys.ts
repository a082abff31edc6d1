import { Inject, Injectable } from '@nestjs/common';
import type { Jwks } from '@custos/contracts';
import { SecretBox, generateSigningKey, toSigningJwk } from '@custos/crypto';
import { Database, SigningKeyRepository, type StoredSigningKey, type Tx } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { AuditLog, SYSTEM_ACTOR, type AuditActor, type AuditEntry } from './audit-log';

/** How a signing key's private JWK is sealed (SecretBox): api and worker both sign with it. */
export const SIGNING_KEY_PURPOSE = 'tenant-signing-key';
const signingKeyContext = (tenantId: string, kid: string): string => `${tenantId}/${kid}`;

/** The key a tenant signs with now, opened for signing. */
export interface SigningKey {
  kid: string;
  privateJwk: string;
}

/** The tenant's keys as stored: read for the JWKS and for signing, written when made or rotated. */
export type SigningKeyStore = Pick<
  SigningKeyRepository,
  'allKeys' | 'lockKeyChanges' | 'activeKey' | 'activeKeyOlderThan' | 'retire' | 'insert' | 'tenantsWithOldKeys'
>;

const TENANT_PAGE = 100;

/**
 * Per-tenant ES256 keys: created on first use, rotated by the worker, never deleted. A retired key no
 * longer signs but stays in the JWKS, because audit events (and so the checkpoints over them) are
 * kept for good and must keep verifying.
 */
@Injectable()
export class SigningKeys {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly box: SecretBox,
    @Inject(SigningKeyRepository) private readonly stored: SigningKeyStore,
  ) {}

  /** Every public key the tenant has signed with, the signing one first. Empty before its first signature. */
  async jwks(principal: Principal): Promise<Jwks> {
    requireScope(principal, 'custos:audit:read');
    return this.db.tenant(principal.tenantId, (tx) => this.publicKeys(tx));
  }

  /**
   * The tenant's public keys, the signing one first, as published and put in exports: only those this
   * installation made (each one's sealed private key opens under CUSTOS_MASTER_KEY and belongs to it).
   * The database alone cannot make such a key, so one slipped into signing_keys to sign forged
   * checkpoints with is left out, and what it signed fails verification, here and offline.
   */
  async publicKeys(tx: Tx): Promise<Jwks> {
    const keys = await this.stored.allKeys(tx);
    return { keys: keys.filter((k) => this.madeHere(tx, k)).map((k) => k.publicJwk) };
  }

  private madeHere(tx: Tx, key: StoredSigningKey): boolean {
    try {
      const opened = toSigningJwk(JSON.parse(this.open(tx, key).privateJwk));
      const published = toSigningJwk(key.publicJwk);
      return opened !== null && published !== null && opened.kid === key.kid && published.kid === key.kid;
    } catch {
      return false;
    }
  }

  /**
   * The tenant's signing key, made on first use. A new key comes with its audit event, for the caller to
   * write with its own events in this transaction (a key nobody used to sign is rolled back with the
   * signature that needed it).
   */
  async signingKey(tx: Tx, actor: AuditActor): Promise<{ key: SigningKey; created: AuditEntry | null }> {
    await this.stored.lockKeyChanges(tx);
    const active = await this.stored.activeKey(tx);
    if (active) return { key: this.open(tx, active), created: null };
    const key = await this.insertKey(tx);
    return { key, created: { action: 'signing_key.created', actor, target: { type: 'signing_key', id: key.kid }, data: { kid: key.kid, alg: 'ES256' } } };
  }

  /** The worker's rotation: a new key for every tenant whose signing key is older than `maxAgeDays`. */
  async rotateOld(maxAgeDays: number): Promise<number> {
    let rotated = 0;
    let after = '';
    for (;;) {
      const tenants = await this.db.system((tx) => this.stored.tenantsWithOldKeys(tx, maxAgeDays, after, TENANT_PAGE));
      for (const t of tenants) if (await this.rotateIfOld(t, maxAgeDays)) rotated++;
      if (tenants.length < TENANT_PAGE) return rotated;
      after = tenants[tenants.length - 1]!;
    }
  }

  /** Retires the tenant's signing key when it is older than `maxAgeDays` and makes its successor. */
  async rotateIfOld(tenantId: string, maxAgeDays: number, meta: RequestMeta = { requestId: null, ip: null }): Promise<boolean> {
    return this.db.tenant(tenantId, async (tx) => {
      await this.stored.lockKeyChanges(tx);
      const old = await this.stored.activeKeyOlderThan(tx, maxAgeDays);
      if (old === undefined) return false;
      await this.stored.retire(tx, old);
      const key = await this.insertKey(tx);
      await this.audit.record(tx, meta, {
        action: 'signing_key.rotated',
        actor: SYSTEM_ACTOR,
        target: { type: 'signing_key', id: key.kid },
        data: { kid: key.kid, previousKid: old, alg: 'ES256' },
      });
      return true;
    });
  }

  private async insertKey(tx: Tx): Promise<SigningKey> {
    const tenantId = tx.tenantId!;
    const generated = await generateSigningKey();
    const sealed = this.box.seal(SIGNING_KEY_PURPOSE, signingKeyContext(tenantId, generated.kid), generated.privateJwk);
    await this.stored.insert(tx, { kid: generated.kid, publicJwk: generated.publicJwk, privateSealed: sealed });
    return { kid: generated.kid, privateJwk: generated.privateJwk };
  }

  private open(tx: Tx, key: Pick<StoredSigningKey, 'kid' | 'privateSealed'>): SigningKey {
    return { kid: key.kid, privateJwk: this.box.open(SIGNING_KEY_PURPOSE, signingKeyContext(tx.tenantId!, key.kid), key.privateSealed) };
  }
}
