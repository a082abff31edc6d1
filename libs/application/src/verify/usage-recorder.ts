import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { networkOf } from '@custos/domain';
import { Database, TokenUsageRepository } from '@custos/persistence';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';

interface Pending {
  count: number;
  lastUsedAt: Date;
  lastUsedIp: string | null;
  lastUsedCountry: string | null;
  countries: Set<string>;
  lastCrossBorderAt: Date | null;
  /** The token's scopes these uses asked for, each with its latest use (access reviews show which are used). */
  scopes: Map<string, Date>;
}

/** Where a use came from, as verify located it. */
export interface UseLocation {
  /** Observed, never claimed; null when unknown. */
  country: string | null;
  /** Outside the token's residency region. */
  crossBorder: boolean;
}

const NOWHERE: UseLocation = { country: null, crossBorder: false };

/** What writing uses asks of the database. */
export type UsageWrites = Pick<TokenUsageRepository, 'addUses'>;

/**
 * Keeps last_used_at / use_count and where the token was used current without a write per verify: uses are summed in memory and
 * written per tenant in one statement every flush interval, and on shutdown. A failed flush puts its
 * counts back, so nothing acknowledged is lost while the process lives.
 */
@Injectable()
export class UsageRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(UsageRecorder.name);
  private pending = new Map<string, Map<string, Pending>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    @Inject(APPLICATION_SETTINGS) private readonly settings: ApplicationSettings,
    @Inject(TokenUsageRepository) private readonly usage: UsageWrites,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.settings.usageFlushIntervalMs);
    this.timer.unref();
  }

  /** Before, not on, shutdown: the database pool closes in the shutdown phase. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** `uses` uses of the token, the last at `at` (a service reports cached verifies counted). */
  record(tenantId: string, tokenId: string, at: Date, ip: string | null | undefined, where: UseLocation = NOWHERE, scopes: readonly string[] = [], uses = 1): void {
    // Cut to its network when written: once per token and flush, not once per verify.
    const entry = this.entryOf(tenantId, tokenId, at);
    entry.count += uses;
    this.noteUse(entry, at, ip ?? null, where.country, where.crossBorder ? at : null);
    if (where.country) entry.countries.add(where.country);
    for (const scope of scopes) noteScope(entry, scope, at);
  }

  /** Scopes a use already recorded asked for (a service key's route scopes): no use is counted. */
  recordScopes(tenantId: string, tokenId: string, at: Date, scopes: readonly string[]): void {
    const entry = this.entryOf(tenantId, tokenId, at);
    for (const scope of scopes) noteScope(entry, scope, at);
  }

  /** Puts a failed write's counts back, to be written with the next flush. */
  private merge(tenantId: string, tokenId: string, use: Pending): void {
    const entry = this.entryOf(tenantId, tokenId, use.lastUsedAt);
    entry.count += use.count;
    this.noteUse(entry, use.lastUsedAt, use.lastUsedIp, use.lastUsedCountry, use.lastCrossBorderAt);
    for (const country of use.countries) entry.countries.add(country);
    for (const [scope, at] of use.scopes) noteScope(entry, scope, at);
  }

  /** The token's pending entry, made empty on its first use since the last flush. */
  private entryOf(tenantId: string, tokenId: string, at: Date): Pending {
    let tenant = this.pending.get(tenantId);
    if (!tenant) this.pending.set(tenantId, (tenant = new Map()));
    let entry = tenant.get(tokenId);
    if (!entry) {
      entry = { count: 0, lastUsedAt: at, lastUsedIp: null, lastUsedCountry: null, countries: new Set(), lastCrossBorderAt: null, scopes: new Map() };
      tenant.set(tokenId, entry);
    }
    return entry;
  }

  private noteUse(entry: Pending, at: Date, ip: string | null, country: string | null, crossedAt: Date | null): void {
    if (at >= entry.lastUsedAt) {
      entry.lastUsedAt = at;
      entry.lastUsedIp = ip ?? entry.lastUsedIp;
      entry.lastUsedCountry = country ?? entry.lastUsedCountry;
    }
    if (crossedAt && (!entry.lastCrossBorderAt || crossedAt > entry.lastCrossBorderAt)) entry.lastCrossBorderAt = crossedAt;
  }

  get pendingTokens(): number {
    let n = 0;
    for (const tenant of this.pending.values()) n += tenant.size;
    return n;
  }

  /** Writes everything pending; concurrent callers share one flush. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async write(batch: Map<string, Map<string, Pending>>): Promise<void> {
    for (const [tenantId, tokens] of batch) {
      const entries = [...tokens.entries()];
      try {
        await this.db.tenant(tenantId, (tx) =>
          this.usage.addUses(
            tx,
            entries.map(([tokenId, p]) => ({
              tokenId,
              count: p.count,
              lastUsedAt: p.lastUsedAt,
              lastUsedIp: networkOf(p.lastUsedIp),
              lastUsedCountry: p.lastUsedCountry,
              countries: [...p.countries],
              lastCrossBorderAt: p.lastCrossBorderAt,
              scopes: [...p.scopes].map(([scope, at]) => ({ scope, at })),
            })),
          ),
        );
      } catch (error) {
        this.logger.warn({ err: error, tenantId }, 'usage flush failed; keeping the counts for the next flush');
        for (const [id, use] of entries) this.merge(tenantId, id, use);
      }
    }
  }
}

function noteScope(entry: Pending, scope: string, at: Date): void {
  const last = entry.scopes.get(scope);
  if (!last || at > last) entry.scopes.set(scope, at);
}
