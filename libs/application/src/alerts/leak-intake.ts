import { Inject, Injectable } from '@nestjs/common';
import { TokenHasher } from '@custos/crypto';
import { newId, parseToken } from '@custos/domain';
import { Database, PolicyRepository, TokenRepository, TokenSnapshotRepository } from '@custos/persistence';
import type { AuditActor } from '../audit/audit-log';
import { AuditLog } from '../audit/audit-log';
import type { RequestMeta } from '../auth/principal';
import { alertPolicyOf } from '../policy/policy.service';
import { AlertRaiser } from './alert-raiser';
import { tokenSubject } from './alert-evaluator';

/** One token someone found where it should not be. */
export interface LeakReport {
  token: string;
  /** Where it was found (a commit, a paste). */
  url?: string | null | undefined;
  /** Who found it: a scanner, a repository host. */
  source?: string | null | undefined;
}

/** Who reported: GitHub's secret scanning (signed), or anyone through POST /v1/leaks. */
export type LeakChannel = 'github' | 'public';

/** A Custos token that existed (live or not), or anything else. */
export type LeakVerdict = 'true_positive' | 'false_positive';

/** Reports looked up at once: a batch of 1,000 from GitHub answers in seconds without holding every connection. */
const CONCURRENT_REPORTS = 4;

const ACTORS: Readonly<Record<LeakChannel, AuditActor>> = {
  github: { type: 'system', id: 'github-secret-scanning' },
  public: { type: 'anonymous', id: null },
};

/**
 * Leaked tokens, from any tenant: presenting the token is the proof. Each one that is a Custos token
 * (the checksum, the lookup id, then its secret in constant time) is revoked at once with reason
 * `leaked` and the URL, whatever the tenant's rules say or the token's scopes are (a leaked admin key
 * is the worst case, not an exception), and a `leaked` alert is raised; its report is audited. The
 * token itself is never stored or logged.
 */
@Injectable()
export class LeakIntake {
  constructor(
    private readonly db: Database,
    private readonly hasher: TokenHasher,
    private readonly audit: AuditLog,
    private readonly raiser: AlertRaiser,
    @Inject(TokenSnapshotRepository) private readonly snapshots: Pick<TokenSnapshotRepository, 'tenantOf'>,
    @Inject(TokenRepository) private readonly tokens: Pick<TokenRepository, 'findByLookupId'>,
    @Inject(PolicyRepository) private readonly policies: Pick<PolicyRepository, 'get'>,
  ) {}

  /** The verdict of each report, in order. */
  async report(reports: readonly LeakReport[], channel: LeakChannel, meta: RequestMeta): Promise<LeakVerdict[]> {
    const verdicts: LeakVerdict[] = new Array<LeakVerdict>(reports.length);
    let next = 0;
    const lane = async () => {
      while (next < reports.length) {
        const i = next++;
        verdicts[i] = await this.one(reports[i]!, channel, meta);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_REPORTS, reports.length) }, lane));
    return verdicts;
  }

  private async one(report: LeakReport, channel: LeakChannel, meta: RequestMeta): Promise<LeakVerdict> {
    const parsed = parseToken(report.token.trim());
    if (!parsed) return 'false_positive';
    const found = await this.db.tenantResolvedBy(this.snapshots.tenantOf(parsed.lookupId), async (tx) => {
      const token = await this.tokens.findByLookupId(tx, parsed.lookupId);
      if (!token || !this.hasher.matches(parsed.raw, token.secretHash, token.pepperId)) return false;
      const policy = alertPolicyOf(await this.policies.get(tx));
      const actor = ACTORS[channel];
      const url = report.url ?? null;
      const source = report.source ?? null;
      const now = new Date();
      await this.audit.record(tx, meta, {
        action: 'token.leak_reported',
        actor,
        target: { type: 'token', id: token.id },
        data: { via: channel, url, source, status: token.status },
      });
      await this.raiser.raise(
        tx,
        {
          id: newId('alr'),
          rule: 'leaked',
          severity: policy.rules.leaked.severity,
          subject: tokenSubject(token.id),
          tokenId: token.id,
          serviceId: token.ownerServiceId,
          firstSeenAt: now,
          lastSeenAt: now,
          count: 1,
          evidence: [],
          details: { via: channel, url, source, reportedAt: now.toISOString() },
        },
        { settings: policy.rules.leaked, remediateOwnerServiceKeys: true, actor, meta, reason: url ? `leaked: ${url}` : 'leaked' },
      );
      return true;
    });
    return found ? 'true_positive' : 'false_positive';
  }
}
