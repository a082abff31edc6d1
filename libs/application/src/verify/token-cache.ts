import { Inject, Injectable, Optional } from '@nestjs/common';
import type { VerifiableToken } from '@custos/domain';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';

/** What verify and service-key authentication need of a token, without touching the database. */
export interface TokenSnapshot extends VerifiableToken {
  id: string;
  tenantId: string;
  /** The first token of its rotation lineage, which keeps the lineage's use count. */
  rootId: string;
  lookupId: string;
  secretHash: string;
  pepperId: string;
  ownerServiceId: string | null;
  /** `expiresAt` as the verify answer gives it, formatted once per load rather than per request. */
  expiresAtIso: string;
}

/** Tells the other API instances to drop tokens (Redis pub/sub in the api). */
export interface InvalidationPublisher {
  /** Resolves once Redis has taken the message (never rejects: the TTL covers a lost one). */
  publish(lookupIds: readonly string[], tenantIds?: readonly string[]): Promise<void>;
}
export const INVALIDATION_PUBLISHER = Symbol('INVALIDATION_PUBLISHER');

const MAX_ENTRIES = 200_000;

/**
 * Per-instance cache of token snapshots by lookup id. Every change that can alter a verify answer
 * drops the entry here and on every other instance; the TTL bounds the age of an entry whose
 * invalidation message was missed. While this instance cannot hear invalidations (its subscriber is
 * disconnected) the cache is suspended: every read goes to the database until it is resumed.
 */
@Injectable()
export class TokenCache {
  private readonly entries = new Map<string, { snapshot: TokenSnapshot; expiresAt: number }>();
  private suspended = false;
  /**
   * Bumped by every drop. A snapshot read from the database is stored only if no drop happened since
   * the read began, so a read that raced an invalidation (or a suspension) cannot put back what the
   * invalidation removed.
   */
  private generationCounter = 0;

  constructor(
    @Inject(APPLICATION_SETTINGS) private readonly settings: ApplicationSettings,
    @Optional() @Inject(INVALIDATION_PUBLISHER) private readonly publisher?: InvalidationPublisher,
  ) {}

  /** Pass this to `set` with a snapshot read after asking for it. */
  get generation(): number {
    return this.generationCounter;
  }

  get isSuspended(): boolean {
    return this.suspended;
  }

  get(lookupId: string): TokenSnapshot | undefined {
    if (this.suspended) return undefined;
    const entry = this.entries.get(lookupId);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(lookupId);
      return undefined;
    }
    return entry.snapshot;
  }

  set(snapshot: TokenSnapshot, readSince?: number): void {
    if (this.settings.verifyCacheTtlMs === 0 || this.suspended) return;
    if (readSince !== undefined && readSince !== this.generationCounter) return;
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
    this.generationCounter++;
    for (const id of lookupIds) this.entries.delete(id);
    if (options.broadcast && lookupIds.length > 0) await this.publisher?.publish(lookupIds);
  }

  /** Drops every token of these tenants (their policy changed what verify answers), here and, unless told otherwise, everywhere. */
  async invalidateTenants(tenantIds: readonly string[], options: { broadcast: boolean } = { broadcast: true }): Promise<void> {
    this.generationCounter++;
    const stale = new Set(tenantIds);
    for (const [lookupId, entry] of this.entries) if (stale.has(entry.snapshot.tenantId)) this.entries.delete(lookupId);
    if (options.broadcast && tenantIds.length > 0) await this.publisher?.publish([], tenantIds);
  }

  clear(): void {
    this.generationCounter++;
    this.entries.clear();
  }

  /** Invalidations may be missed from now on: answer from the database only, and forget what is cached. */
  suspend(): void {
    this.suspended = true;
    this.clear();
  }

  /** Invalidations are heard again; what was cached before may have missed some, so start empty. */
  resume(): void {
    this.clear();
    this.suspended = false;
  }
}
