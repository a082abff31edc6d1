import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { Redis } from 'ioredis';
import { FAIL_FAST_REDIS } from '../redis/fail-fast-redis';

/** The shapes of @custos/application's TokenFeed port, repeated structurally: the runtime does not depend on the use cases. */
interface FeedEntry {
  id: string;
  event: 'token' | 'tenant';
  data: object;
}
interface FeedListener {
  entry(entry: FeedEntry): void;
  caughtUp(cursor: string): void;
  reset(cursor: string): void;
  end(): void;
}

/** Entries one XREAD or XRANGE takes at most; a busier feed is read in several. */
const READ_BATCH = 1000;
/** How long one XREAD waits for news before it is asked again (new tenants interrupt it at once). */
const BLOCK_MS = 5000;

interface Follower {
  listener: FeedListener;
  /** The last entry it was given. */
  cursor: string;
  /** Entries read for its tenant while it was catching up on its backlog, to be given after it. */
  pending: FeedEntry[] | null;
}

interface TenantFeed {
  key: string;
  /** The last entry read for this tenant's followers. */
  cursor: string;
  followers: Set<Follower>;
}

/**
 * The events feeds on Redis Streams, one stream per tenant trimmed to the retention (XADD MINID), whose
 * entry ids are the events' ids. Each api instance follows the streams of the tenants whose clients it
 * serves with one blocking XREAD on a connection of its own, interrupted (CLIENT UNBLOCK) when a tenant
 * joins; an event appended by any process reaches every instance's clients. While that connection is
 * down, clients are cut off (they stop trusting their caches) and new ones refused.
 */
export class RedisTokenFeed {
  private reader: Redis | undefined;
  private readerId: number | undefined;
  private readonly tenants = new Map<string, TenantFeed>();
  private connected = false;
  private closing = false;
  private reading: Promise<void> | undefined;

  constructor(
    /** The process's command connection (appends, backlog reads, unblocking the reader). */
    private readonly redis: Redis,
    private readonly url: string,
    /** The stream key of a tenant's feed. */
    private readonly keyOf: (tenantId: string) => string,
    private readonly retentionMs: number,
    private readonly readerName: string,
  ) {}

  get following(): boolean {
    return this.connected;
  }

  async append(tenantId: string, entries: readonly Omit<FeedEntry, 'id'>[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.keyOf(tenantId);
    const oldest = String(Date.now() - this.retentionMs);
    const batch = this.redis.multi();
    for (const entry of entries) batch.xadd(key, 'MINID', '~', oldest, '*', 'e', entry.event, 'd', JSON.stringify(entry.data));
    // A tenant with no news for the whole retention keeps no stream.
    batch.pexpire(key, this.retentionMs);
    const results = await batch.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('the feed append was discarded');
  }

  /** Starts the reader connection; followers are accepted once it is up. */
  start(): void {
    // Its commands block by design: the fail-fast timeout of the other connections would cut every XREAD.
    // A read cut by a lost connection is not sent again on the new one: it would hold the connection for
    // a whole BLOCK before CLIENT ID tells the feed it is back.
    const reader = new Redis(this.url, {
      ...FAIL_FAST_REDIS,
      commandTimeout: undefined,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectionName: this.readerName,
    });
    reader.on('error', () => undefined);
    this.reader = reader;
    reader.on('ready', () => {
      reader.client('ID').then(
        (id) => {
          this.readerId = Number(id);
          this.connected = true;
          this.wake();
        },
        () => undefined,
      );
    });
    reader.on('close', () => this.lose());
  }

  follow(tenantId: string, lastEventId: string | undefined, listener: FeedListener): { readonly cursor: string | undefined; close(): void } {
    if (!this.connected || this.closing) throw new DomainError(ErrorCode.UNAVAILABLE, 'The events feed is unavailable for a moment; reconnect shortly.', [], 2);
    let tenant = this.tenants.get(tenantId);
    const follower: Follower = { listener, cursor: '0-0', pending: [] };
    if (!tenant) {
      // Nothing before "now" is read for the tenant's live followers: each reads its own backlog.
      tenant = { key: this.keyOf(tenantId), cursor: '$', followers: new Set() };
      this.tenants.set(tenantId, tenant);
    }
    tenant.followers.add(follower);
    void this.catchUp(tenant, follower, lastEventId).catch(() => this.drop(tenant, follower, true));
    this.interrupt();
    return {
      get cursor() {
        return follower.pending ? undefined : follower.cursor;
      },
      close: () => this.drop(tenant, follower, false),
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const tenant of this.tenants.values()) for (const follower of tenant.followers) follower.listener.end();
    this.tenants.clear();
    // Not QUIT: it would wait behind a blocked XREAD for up to BLOCK_MS and hold up the shutdown.
    this.reader?.disconnect();
    await this.reading;
  }

  /** Gives a new follower what it missed since `lastEventId`, then what was read for its tenant meanwhile. */
  private async catchUp(tenant: TenantFeed, follower: Follower, lastEventId: string | undefined): Promise<void> {
    const latest = await this.latestId(tenant.key);
    let cursor = latest;
    if (lastEventId !== undefined) {
      if (this.resumable(lastEventId, latest)) {
        cursor = lastEventId;
        for (;;) {
          const entries = parseEntries(await this.redis.xrange(tenant.key, `(${cursor}`, '+', 'COUNT', READ_BATCH));
          for (const entry of entries) follower.listener.entry(entry);
          if (entries.length > 0) cursor = entries[entries.length - 1]!.id;
          if (entries.length < READ_BATCH) break;
        }
      } else {
        follower.listener.reset(latest);
      }
    }
    if (!tenant.followers.has(follower)) return;
    follower.cursor = cursor;
    // A new tenant is read from here on. An existing one needs no change: what it read before this
    // follower joined is in the backlog just given, what it read since is pending.
    if (tenant.cursor === '$') tenant.cursor = cursor;
    const pending = follower.pending ?? [];
    follower.pending = null;
    follower.listener.caughtUp(follower.cursor);
    for (const entry of pending) this.give(follower, entry);
  }

  /** A resume point still inside the stream: newer than the retention and not past its last entry. */
  private resumable(lastEventId: string, latest: string): boolean {
    if (!/^\d+-\d+$/.test(lastEventId)) return false;
    const ms = Number(lastEventId.split('-')[0]);
    return ms >= Date.now() - this.retentionMs && compareIds(lastEventId, latest) <= 0;
  }

  private async latestId(key: string): Promise<string> {
    const last = await this.redis.xrevrange(key, '+', '-', 'COUNT', 1);
    // An empty stream: a point just before now, so that an entry added this millisecond still comes after it.
    return last[0]?.[0] ?? `${Date.now() - 1}-0`;
  }

  private give(follower: Follower, entry: FeedEntry): void {
    if (follower.pending) {
      follower.pending.push(entry);
      return;
    }
    if (compareIds(entry.id, follower.cursor) <= 0) return;
    follower.cursor = entry.id;
    follower.listener.entry(entry);
  }

  private drop(tenant: TenantFeed, follower: Follower, failed: boolean): void {
    if (!tenant.followers.delete(follower)) return;
    if (failed) follower.listener.end();
    if (tenant.followers.size === 0) for (const [id, t] of this.tenants) if (t === tenant) this.tenants.delete(id);
  }

  /** The reader cannot hear news any more: every follower must reconnect, to this instance or another. */
  private lose(): void {
    this.connected = false;
    this.readerId = undefined;
    for (const tenant of this.tenants.values()) for (const follower of tenant.followers) follower.listener.end();
    this.tenants.clear();
  }

  private wake(): void {
    if (!this.reading) this.reading = this.readLoop().finally(() => (this.reading = undefined));
  }

  /** Ends the reader's current XREAD, so the next one includes a tenant that just joined. */
  private interrupt(): void {
    this.wake();
    if (this.readerId !== undefined) void this.redis.client('UNBLOCK', this.readerId).catch(() => undefined);
  }

  private async readLoop(): Promise<void> {
    while (this.connected && !this.closing) {
      const tenants = [...this.tenants.values()].filter((t) => t.cursor !== '$');
      if (tenants.length === 0) {
        if (this.tenants.size === 0) return;
        // Followers still catching up set their tenant's start in a moment.
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      let reply: Array<[string, Array<[string, string[]]>]> | null;
      try {
        reply = (await this.reader!.xread('COUNT', READ_BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', ...tenants.map((t) => t.key), ...tenants.map((t) => t.cursor))) as
          | Array<[string, Array<[string, string[]]>]>
          | null;
      } catch {
        // Unblocked (a tenant joined) or the connection dropped ('close' handles that).
        continue;
      }
      for (const [key, raw] of reply ?? []) {
        const tenant = tenants.find((t) => t.key === key);
        if (!tenant) continue;
        const entries = parseEntries(raw);
        if (entries.length > 0) tenant.cursor = entries[entries.length - 1]!.id;
        for (const entry of entries) for (const follower of tenant.followers) this.give(follower, entry);
      }
    }
  }
}

function parseEntries(raw: Array<[string, string[]]>): FeedEntry[] {
  return raw.map(([id, fields]) => {
    const values = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i]!, fields[i + 1]!);
    return { id, event: values.get('e') === 'tenant' ? 'tenant' : 'token', data: JSON.parse(values.get('d') ?? '{}') as object };
  });
}

/** Orders stream ids (`<ms>-<seq>`) numerically. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am !== bm ? am - bm : as - bs;
}
