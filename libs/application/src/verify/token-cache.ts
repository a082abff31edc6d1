import { Inject, Injectable, Optional } from '@nestjs/common';
import type { VerifiableToken } from '@custos/domain';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';

/** What verify and service-key authentication need of a token, without touching the database. */
export interface TokenSnapshot extends VerifiableToken {
  id: string;
  tenantId: string;
  lookupId: string;
  secretHash: string;
  pepperId: string;
  ownerServiceId: string | null;
}

/** Tells the other API instances to drop tokens (Redis pub/sub in the api). */
export interface InvalidationPublisher {
  /** Resolves once Redis has taken the message (never rejects: the TTL covers a lost one). */
  publish(lookupIds: readonly string[]): Promise<void>;
}
export const INVALIDATION_PUBLISHER = Symbol('INVALIDATION_PUBLISHER');

const MAX_ENTRIES = 200_000;

/**
 * Per-instance cache of token snapshots by lookup id. Every change that can alter a verify answer
 * drops the entry here and on every other instance; the TTL bounds the age of an entry whose
 * invalidation message was missed.
 */
@Injectable()
export class TokenCache {
  private readonly entries = new Map<string, { snapshot: TokenSnapshot; expiresAt: number }>();

  constructor(
    @Inject(APPLICATION_SETTINGS) private readonly settings: ApplicationSettings,
    @Optional() @Inject(INVALIDATION_PUBLISHER) private readonly publisher?: InvalidationPublisher,
  ) {}

  get(lookupId: string): TokenSnapshot | undefined {
    const entry = this.entries.get(lookupId);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(lookupId);
      return undefined;
    }
    return entry.snapshot;
  }

  set(snapshot: TokenSnapshot): void {
    if (this.settings.verifyCacheTtlMs === 0) return;
    if (this.entries.size >= MAX_ENTRIES) {
      // Map iterates in insertion order: drop the oldest tenth.
      let drop = MAX_ENTRIES / 10;
      for (const key of this.entries.keys()) {
        this.entries.delete(key);
        if (--drop === 0) break;
      }
    }
    this.entries.set(snapshot.lookupId, { snapshot, expiresAt: Date.now() + this.settings.verifyCacheTtlMs });
  }

  /** Drops the entries here and, unless the drop came from another instance, everywhere else. */
  async invalidate(lookupIds: readonly string[], options: { broadcast: boolean } = { broadcast: true }): Promise<void> {
    for (const id of lookupIds) this.entries.delete(id);
    if (options.broadcast && lookupIds.length > 0) await this.publisher?.publish(lookupIds);
  }

  clear(): void {
    this.entries.clear();
  }
}
