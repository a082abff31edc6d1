import { Inject, Injectable, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { TokenSnapshot } from '@custos/persistence';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';

export type { TokenSnapshot } from '@custos/persistence';

/** Tells the other API instances to drop tokens (Redis pub/sub in the api). */
export interface InvalidationPublisher {
  /** Resolves once Redis has taken the message (never rejects: the TTL covers a lost one). */
  publish(lookupIds: readonly string[], tenantIds?: readonly string[]): Promise<void>;
}
export const INVALIDATION_PUBLISHER = Symbol('INVALIDATION_PUBLISHER');

/** Entries kept at most; past it the least recently used goes. */
export const TOKEN_CACHE_MAX_ENTRIES = 200_000;

/** Reads a token by lookup id from the database (null when there is none). */
export type SnapshotLoader = (lookupId: string) => Promise<TokenSnapshot | null>;

/** A read of a token, with the generation at which it began. */
interface Read {
  snapshot: TokenSnapshot | null;
  generation: number;
}

interface ReadContext {
  load: SnapshotLoader;
  generation: number;
}

/**
 * Per-instance cache of token snapshots by lookup id, the least recently used dropped first when it is
 * full. Every change that can alter a verify answer drops the entry here and on every other instance;
 * the TTL bounds the age of an entry whose invalidation message was missed. While this instance cannot
 * hear invalidations (its subscriber is disconnected) the cache is suspended: every read goes to the
 * database until it is resumed.
 */
@Injectable()
export class TokenCache {
  /**
   * Entries and reads in flight. A miss joins the read in flight for its lookup id, if any (no stampede
   * when a hot entry expires). Deleting an entry being read detaches the read: it still answers whoever
   * asked for it (ignoreFetchAbort) but is not cached, and the next miss starts another.
   */
  private readonly reads: LRUCache<string, Read, ReadContext>;
  private suspended = false;
  /**
   * Bumped by every drop. A snapshot read from the database is stored only if no drop happened since
   * the read began, so a read that raced an invalidation (or a suspension) cannot put back what the
   * invalidation removed; nor is such a read joined by a miss that comes after the drop.
   */
  private generationCounter = 0;

  constructor(
    @Inject(APPLICATION_SETTINGS) private readonly settings: ApplicationSettings,
    @Optional() @Inject(INVALIDATION_PUBLISHER) private readonly publisher?: InvalidationPublisher,
  ) {
    this.reads = new LRUCache<string, Read, ReadContext>({
      max: TOKEN_CACHE_MAX_ENTRIES,
      // 0 turns caching off (keeps() says no), not the TTL: lru-cache reads 0 as "no TTL".
      ttl: settings.verifyCacheTtlMs,
      ignoreFetchAbort: true,
      fetchMethod: (lookupId, _stale, { signal, context }) => this.read(lookupId, context, signal),
    });
  }

  /** Pass this to `set` with a snapshot read after asking for it. */
  get generation(): number {
    return this.generationCounter;
  }

  get isSuspended(): boolean {
    return this.suspended;
  }

  get(lookupId: string): TokenSnapshot | undefined {
    if (this.suspended) return undefined;
    return this.reads.get(lookupId)?.snapshot ?? undefined;
  }

  set(snapshot: TokenSnapshot, readSince?: number): void {
    if (!this.keeps(readSince ?? this.generationCounter)) return;
    this.reads.set(snapshot.lookupId, { snapshot, generation: this.generationCounter });
  }

  /**
   * The cached snapshot, else one read with `load`: once however many miss at the same moment, and
   * kept if no drop happened while it was read.
   */
  async fetch(lookupId: string, load: SnapshotLoader): Promise<TokenSnapshot | null> {
    const cached = this.get(lookupId);
    if (cached) return cached;
    let generation = this.generationCounter;
    let read = await this.reads.fetch(lookupId, { context: { load, generation } });
    if (read && read.generation !== generation) {
      // This miss joined a read begun before a drop that did not detach it (a tenant's, or another
      // token's): the read may have seen what the drop removed. Read afresh, as reads begun since do.
      const since = this.get(lookupId);
      if (since) return since;
      generation = this.generationCounter;
      this.reads.delete(lookupId);
      read = await this.reads.fetch(lookupId, { context: { load, generation } });
    }
    return read?.snapshot ?? null;
  }

  /** Drops the entries here and, unless the drop came from another instance, everywhere else. */
  async invalidate(lookupIds: readonly string[], options: { broadcast: boolean } = { broadcast: true }): Promise<void> {
    this.generationCounter++;
    for (const id of lookupIds) this.reads.delete(id);
    if (options.broadcast && lookupIds.length > 0) await this.publisher?.publish(lookupIds);
  }

  /** Drops every token of these tenants (their policy changed what verify answers), here and, unless told otherwise, everywhere. */
  async invalidateTenants(tenantIds: readonly string[], options: { broadcast: boolean } = { broadcast: true }): Promise<void> {
    this.generationCounter++;
    const stale = new Set(tenantIds);
    const dropped: string[] = [];
    for (const [lookupId, read] of this.reads.entries()) if (read.snapshot && stale.has(read.snapshot.tenantId)) dropped.push(lookupId);
    for (const lookupId of dropped) this.reads.delete(lookupId);
    if (options.broadcast && tenantIds.length > 0) await this.publisher?.publish([], tenantIds);
  }

  clear(): void {
    this.generationCounter++;
    this.reads.clear();
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

  /** Whether a snapshot read since `generation` may be cached now. */
  private keeps(generation: number): boolean {
    return this.settings.verifyCacheTtlMs !== 0 && !this.suspended && generation === this.generationCounter;
  }

  /** lru-cache's fetchMethod: whatever it returns is cached, unless its own entry was deleted first. */
  private async read(lookupId: string, context: ReadContext, signal: AbortSignal): Promise<Read> {
    const snapshot = await context.load(lookupId);
    // A token that is not there, or one read across a drop, goes to whoever asked and is not kept.
    // (A detached read, signal aborted, has no entry left: deleting now would detach a newer read.)
    if (!signal.aborted && !(snapshot && this.keeps(context.generation))) this.reads.delete(lookupId);
    return { snapshot, generation: context.generation };
  }
}
