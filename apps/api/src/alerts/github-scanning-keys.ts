import { Inject, Injectable, Logger } from '@nestjs/common';
import { publicKeyOf, verifiesEcdsaSha256 } from '@custos/crypto';
import type { CustosConfig } from '@custos/runtime';
import type { KeyObject } from 'node:crypto';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';

/** An unknown key id fetches the list again, but not more often than this: a forged id must not make us hammer GitHub. */
const REFETCH_AFTER_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;

interface PublicKeysDocument {
  public_keys?: { key_identifier?: unknown; key?: unknown }[];
}

/**
 * GitHub's secret scanning public keys (CUSTOS_GITHUB_SCANNING_KEYS_URL), cached: read once, and again
 * when a report names a key id not in the cache (GitHub rotates them), at most once a minute. A report
 * is genuine when its Github-Public-Key-Signature is an ECDSA P-256 SHA-256 signature by the key its
 * Github-Public-Key-Identifier names, over the body's bytes as received.
 */
@Injectable()
export class GithubScanningKeys {
  private readonly logger = new Logger(GithubScanningKeys.name);
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private fetching: Promise<void> | undefined;

  constructor(@Inject(CUSTOS_CONFIG) private readonly config: Pick<CustosConfig, 'CUSTOS_GITHUB_SCANNING_KEYS_URL'>) {}

  async verifies(body: Buffer, keyId: string | undefined, signature: string | undefined): Promise<boolean> {
    if (!keyId || !signature) return false;
    const key = await this.keyFor(keyId);
    return key ? verifiesEcdsaSha256(key, body, signature) : false;
  }

  private async keyFor(keyId: string): Promise<KeyObject | undefined> {
    const cached = this.keys.get(keyId);
    if (cached) return cached;
    if (Date.now() - this.fetchedAt >= REFETCH_AFTER_MS) await this.refetch();
    return this.keys.get(keyId);
  }

  /** One fetch at a time, whoever asks. */
  private refetch(): Promise<void> {
    this.fetching ??= this.fetchKeys().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetchKeys(): Promise<void> {
    try {
      const response = await fetch(this.config.CUSTOS_GITHUB_SCANNING_KEYS_URL, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const document = (await response.json()) as PublicKeysDocument;
      const keys = new Map<string, KeyObject>();
      for (const entry of document.public_keys ?? []) {
        if (typeof entry.key_identifier !== 'string' || typeof entry.key !== 'string') continue;
        const key = publicKeyOf(entry.key);
        if (key) keys.set(entry.key_identifier, key);
      }
      this.keys = keys;
      this.fetchedAt = Date.now();
    } catch (error) {
      // Keeps the keys it has; counts as a fetch, so a dead key server is not asked on every report.
      this.fetchedAt = Date.now();
      this.logger.warn({ err: error }, 'GitHub secret scanning keys could not be fetched');
    }
  }
}
