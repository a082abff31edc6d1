import { Inject, Injectable } from '@nestjs/common';
import { TokenHasher } from '@custos/crypto';
import { canTransition, newId, parseToken, type ParsedToken } from '@custos/domain';
import { Database, PolicyRepository, TokenRepository, type Tx } from '@custos/persistence';
import { AuditLog, type AuditActor, type AuditEntry } from '../audit/audit-log';
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

/** Reports of one tenant handled per transaction: a GitHub batch of 1,000 in a few transactions, not a thousand. */
const REPORTS_PER_TRANSACTION = 250;

const ACTORS: Readonly<Record<LeakChannel, AuditActor>> = {
  github: { type: 'system', id: 'github-secret-scanning' },
  public: { type: 'anonymous', id: null },
};

/**
 * Leaked tokens, from any tenant: presenting the token is the proof. Each one that is a Custos token
 * (the checksum, the lookup id, then its secret in constant time) is revoked at once with reason
 * `leaked` and the URL, whatever the tenant's rules say or the token's scopes are (a leaked admin key
 * is the worst case, not an exception), and a `leaked` alert is raised; its report is audited. The
 * token itself is never stored or logged. Reports are grouped by tenant: one transaction handles many.
 */
@Injectable()
export class LeakIntake {
  constructor(
    private readonly db: Database,
    private readonly hasher: TokenHasher,
    private readonly audit: AuditLog,
    private readonly raiser: AlertRaiser,
    @Inject(TokenRepository) private readonly tokens: Pick<TokenRepository, 'tenantsOfLookupIds' | 'findByLookupIds' | 'lockByIds'>,
    @Inject(PolicyRepository) private readonly policies: Pick<PolicyRepository, 'get'>,
  ) {}

  /** The verdict of each report, in order. */
  async report(reports: readonly LeakReport[], channel: LeakChannel, meta: RequestMeta): Promise<LeakVerdict[]> {
    const verdicts: LeakVerdict[] = reports.map(() => 'false_positive');
    const parsed = reports.map((r) => parseToken(r.token.trim()));
    const lookupIds = [...new Set(parsed.flatMap((p) => (p ? [p.lookupId] : [])))];
    if (lookupIds.length === 0) return verdicts;
    const tenantOf = await this.db.system((tx) => this.tokens.tenantsOfLookupIds(tx, lookupIds));
    const byTenant = new Map<string, number[]>();
    parsed.forEach((p, i) => {
      const tenantId = p ? tenantOf.get(p.lookupId) : undefined;
      if (tenantId) byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), i]);
    });
    for (const [tenantId, unordered] of byTenant) {
      // Tokens are locked in lookup id order, so two reports naming the same tokens never deadlock.
      const indexes = [...unordered].sort((x, y) => (parsed[x]!.lookupId < parsed[y]!.lookupId ? -1 : 1));
      for (let at = 0; at < indexes.length; at += REPORTS_PER_TRANSACTION) {
        const chunk = indexes.slice(at, at + REPORTS_PER_TRANSACTION);
        const found = await this.db.tenant(tenantId, (tx) => this.reportIn(tx, chunk.map((i) => ({ report: reports[i]!, parsed: parsed[i]! })), channel, meta));
        chunk.forEach((i, n) => (verdicts[i] = found[n] ? 'true_positive' : 'false_positive'));
      }
    }
    return verdicts;
  }

  /** The reports of one tenant, in its transaction: whether each named a real token of it. */
  private async reportIn(tx: Tx, items: readonly { report: LeakReport; parsed: ParsedToken }[], channel: LeakChannel, meta: RequestMeta): Promise<boolean[]> {
    const named = await this.tokens.findByLookupIds(tx, items.map((i) => i.parsed.lookupId));
    // Locked in one statement (id order), before any of them changes.
    const tokens = new Map((await this.tokens.lockByIds(tx, named.map((t) => t.id))).map((t) => [t.lookupId, t]));
    const policy = alertPolicyOf(await this.policies.get(tx));
    const actor = ACTORS[channel];
    const found: boolean[] = [];
    const events: AuditEntry[] = [];
    for (const { report, parsed } of items) {
      const token = tokens.get(parsed.lookupId);
      if (!token || !this.hasher.matches(parsed.raw, token.secretHash, token.pepperId)) {
        found.push(false);
        continue;
      }
      found.push(true);
      const url = report.url ?? null;
      const source = report.source ?? null;
      const now = new Date();
      events.push({
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
        { settings: policy.rules.leaked, remediateOwnerServiceKeys: true, actor, meta, reason: url ? `leaked: ${url}` : 'leaked', lockedToken: token, auditInto: events },
      );
      // A token reported twice in one batch is revoked once: the second report finds it as the first left it.
      if (canTransition(token.status, 'revoke')) tokens.set(token.lookupId, { ...token, status: 'revoked' });
    }
    await this.audit.record(tx, meta, ...events);
    return found;
  }
}
