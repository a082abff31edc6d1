import { Injectable } from '@nestjs/common';
import { VerifyCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { Database, TokenRepository } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { UsageObserver, type RequestOrigin } from '../usage/usage-observer';
import { UsageRecorder } from '../verify/usage-recorder';

/** Uses one report carries at most: the SDK sends a batch a second, or sooner when it holds this many. */
export const MAX_REPORTED_USES = 1000;
/** How far back a reported use may lie: an SDK that kept its reports through a day's outage still delivers them. */
const OLDEST_REPORT_MS = 24 * 3600_000;
/** Clocks of the reporting service may run a little ahead of ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** One verify a service decided in its own process from a cached answer (the SDK). */
export interface ReportedUse {
  tokenId: string;
  at: Date;
  code: VerifyCode;
  ip?: string | undefined;
  resource?: string | undefined;
  /** The scopes that verify asked for, so an access review sees them used. */
  scopes?: string[] | undefined;
  /** How many such uses, the last at `at`: a service counts repeats rather than sending each. */
  count?: number | undefined;
}

export interface UsageReportResult {
  /** Uses recorded: the sum of the entries' counts. */
  accepted: number;
  /** Uses naming no token of the tenant: dropped, so a report never tells whose tokens exist. */
  ignored: number;
}

/**
 * `POST /v1/usage/report`: verifies the SDK answered from its cache become usage events and counts like
 * the api's own (the same buffers, written in the same batches), so usage monitoring, alerts and
 * last-used stay true when services verify in process.
 */
@Injectable()
export class UsageReports {
  constructor(
    private readonly db: Database,
    private readonly tokens: TokenRepository,
    private readonly observer: UsageObserver,
    private readonly usage: UsageRecorder,
  ) {}

  async report(principal: Principal, uses: readonly ReportedUse[], origin: RequestOrigin): Promise<UsageReportResult> {
    requireScope(principal, 'custos:tokens:verify');
    const now = Date.now();
    const late = uses.findIndex((u) => u.at.getTime() < now - OLDEST_REPORT_MS || u.at.getTime() > now + CLOCK_SKEW_MS);
    if (late >= 0) throw DomainError.validation([{ field: `uses.${late}.at`, message: 'must lie within the last 24 hours' }]);
    const known = await this.db.tenant(principal.tenantId, (tx) => this.tokens.existingIds(tx, [...new Set(uses.map((u) => u.tokenId))]));
    let accepted = 0;
    let ignored = 0;
    for (const use of uses) {
      if (!known.has(use.tokenId)) {
        ignored += use.count ?? 1;
        continue;
      }
      accepted += use.count ?? 1;
      const clientIp = use.ip ?? origin.ip;
      const located = this.observer.locate(principal.tenantId, clientIp);
      this.observer.observe(
        {
          tenantId: principal.tenantId,
          kind: 'verify',
          tokenId: use.tokenId,
          callerId: principal.kind === 'service_key' ? principal.id : null,
          outcome: use.code,
          clientIp,
          claimedCountry: undefined,
          resource: use.resource,
          origin,
          // A token with a residency or a geofence is never answered from a cache (cacheHintOf).
          crossBorder: false,
          geoFlagged: false,
          uses: use.count ?? 1,
        },
        located,
        use.at,
      );
      if (use.code === VerifyCode.VALID) {
        this.usage.record(principal.tenantId, use.tokenId, use.at, clientIp, { country: located.country, crossBorder: false }, use.scopes ?? [], use.count ?? 1);
      }
    }
    return { accepted, ignored };
  }
}
