import { Inject, Injectable } from '@nestjs/common';
import type { AlertRule } from '@custos/contracts';
import {
  ALERT_BUCKET_SECONDS,
  USAGE_SPIKE_MIN_USES,
  bucketOf,
  isUsageSpike,
  mergeAlertSignals,
  newId,
  totalOf,
  type AlertRuleTable,
  type AlertSignal,
  type FailureSignal,
  type TokenUseSignal,
} from '@custos/domain';
import {
  AlertSignalRepository,
  Database,
  PolicyRepository,
  TokenRepository,
  type AlertEvidenceEvent,
  type AlertFinding,
  type CounterIncrement,
  type EvidenceKind,
  type TokenEntity,
  type Tx,
} from '@custos/persistence';
import { SYSTEM_ACTOR } from '../audit/audit-log';
import { alertPolicyOf, type AlertPolicy } from '../policy/policy.service';
import { AlertRaiser } from './alert-raiser';

export type AlertWindows = Omit<AlertSignalRepository, 'insert'>;
export type EvaluatedTokens = Pick<TokenRepository, 'findByIds'>;

/** Signals taken per transaction: one evaluation's worth, a few flushes of every api instance. */
const SIGNALS_PER_CLAIM = 50;
/** Tenants looked at per pass. */
const TENANTS_PER_PASS = 100;
const EVIDENCE_PER_ALERT = 10;
const HOUR_MS = 3_600_000;
/** How far back usage_spike looks for a token's baseline. */
const SPIKE_HISTORY_MS = 7 * 24 * HOUR_MS;
/** Counts and sightings older than this are pruned: the longest window the rules take (ALERT_WINDOW_MAX_SECONDS). */
const WINDOWS_KEPT_MS = 24 * HOUR_MS;

const EVALUATION_META = { requestId: null, ip: null };

export interface EvaluationResult {
  signals: number;
  raised: number;
}

/** One evaluation: the tenant's rules, the tokens concerned, the transaction. */
interface Evaluation {
  tx: Tx;
  policy: AlertPolicy;
  rules: AlertRuleTable;
  tokens: Map<string, TokenEntity>;
  findings: AlertFinding[];
}

/**
 * The worker's side of alerting: takes the signals the usage writer left (one per written batch of
 * events, in the events' transaction), counts them into the rules' windows and raises what passes a
 * rule (AlertRaiser: audit, webhook, remediation), all in one transaction per claim, so a signal is
 * evaluated exactly once: a crash rolls its claim back for the next pass. Several workers take
 * different signals (SKIP LOCKED). docs/alerts.md describes each rule.
 */
@Injectable()
export class AlertEvaluator {
  constructor(
    private readonly db: Database,
    private readonly raiser: AlertRaiser,
    @Inject(AlertSignalRepository) private readonly windows: AlertWindows,
    @Inject(PolicyRepository) private readonly policies: Pick<PolicyRepository, 'get'>,
    @Inject(TokenRepository) private readonly tokens: EvaluatedTokens,
  ) {}

  /** Evaluates every waiting signal, tenant by tenant, until none waits or the budget is spent. */
  async evaluatePending(budgetMs = 5_000): Promise<EvaluationResult> {
    const result: EvaluationResult = { signals: 0, raised: 0 };
    const deadline = Date.now() + budgetMs;
    const tenants = await this.db.system((tx) => this.windows.tenantsWithSignals(tx, TENANTS_PER_PASS));
    for (const tenantId of tenants) {
      for (;;) {
        const done = await this.evaluateTenant(tenantId);
        result.signals += done.signals;
        result.raised += done.raised;
        if (done.signals < SIGNALS_PER_CLAIM || Date.now() > deadline) break;
      }
      if (Date.now() > deadline) break;
    }
    return result;
  }

  /** Drops counts and sightings older than any window; run now and then. */
  async prune(now = Date.now()): Promise<{ counters: number; networks: number }> {
    return this.db.system((tx) => this.windows.prune(tx, bucketOf(now - WINDOWS_KEPT_MS), new Date(now - WINDOWS_KEPT_MS), 10_000));
  }

  async evaluateTenant(tenantId: string): Promise<EvaluationResult> {
    return this.db.tenant(tenantId, async (tx) => {
      const claimed = await this.windows.claim(tx, SIGNALS_PER_CLAIM);
      if (claimed.length === 0) return { signals: 0, raised: 0 };
      const policy = alertPolicyOf(await this.policies.get(tx));
      const signal = mergeAlertSignals(claimed);
      const tokens = await this.tokens.findByIds(tx, [...new Set([...signal.tokens.map((t) => t.tokenId), ...callersOf(signal.failures)])]);
      const evaluation: Evaluation = { tx, policy, rules: policy.rules, tokens: new Map(tokens.map((t) => [t.id, t])), findings: [] };
      await this.countWindows(evaluation, signal);
      await this.evaluateRules(evaluation, signal);
      let raised = 0;
      for (const finding of evaluation.findings) {
        const outcome = await this.raiser.raise(tx, finding, {
          settings: policy.rules[finding.rule],
          remediateOwnerServiceKeys: policy.remediateOwnerServiceKeys,
          actor: SYSTEM_ACTOR,
          meta: EVALUATION_META,
        });
        if (outcome.raised) raised++;
      }
      return { signals: claimed.length, raised };
    });
  }

  /** The counts every window rule reads, whether or not it fires now: they are history for later. */
  private async countWindows(e: Evaluation, signal: AlertSignal): Promise<void> {
    const increments: CounterIncrement[] = [];
    for (const t of signal.tokens) {
      for (const [bucket, count] of t.uses) increments.push({ subject: usesSubject(t.tokenId), bucket, count });
      const window = e.tokens.get(t.tokenId)?.rateLimitWindowSeconds ?? 60;
      for (const second of t.rateLimitedAt) increments.push({ subject: rateLimitedSubject(t.tokenId), bucket: second - (second % window), count: 1 });
    }
    for (const f of signal.failures) for (const [bucket, count] of f.counts) increments.push({ subject: failureSubject(f.subject), bucket, count });
    await this.windows.addCounts(e.tx, increments);
  }

  private async evaluateRules(e: Evaluation, signal: AlertSignal): Promise<void> {
    const known = signal.tokens.filter((t) => e.tokens.has(t.tokenId));
    for (const t of known) {
      if (t.dead > 0) await this.find(e, 'dead_token_used', t, t.dead, 'dead', { status: e.tokens.get(t.tokenId)!.status });
      if (t.crossBorder > 0) {
        await this.find(e, 'cross_border_use', t, t.crossBorder, 'cross_border', { residencyRegion: e.tokens.get(t.tokenId)!.residencyRegion, countries: t.countries });
      }
      if (t.plaintext > 0) await this.find(e, 'plaintext_transport', t, t.plaintext, 'plaintext', {});
    }
    await this.newCountries(e, known);
    await this.manyNetworks(e, known);
    await this.usageSpikes(e, known);
    await this.rateLimitedRepeatedly(e, known);
    await this.bruteForce(e, signal.failures);
  }

  private async newCountries(e: Evaluation, tokens: readonly TokenUseSignal[]): Promise<void> {
    const rule = e.rules.new_country;
    if (!rule.enabled) return;
    const pairs = tokens.flatMap((t) => t.countries.map((country) => ({ tokenId: t.tokenId, country, before: new Date(t.firstAt) })));
    if (pairs.length === 0) return;
    const since = new Date(Math.min(...tokens.map((t) => t.firstAt)) - rule.windowSeconds! * 1000);
    const history = await this.windows.countryHistory(e.tx, pairs, since);
    for (const t of tokens) {
      if (!history.used.has(t.tokenId)) continue;
      const fresh = t.countries.filter((c) => !history.seen.has(`${t.tokenId} ${c}`));
      if (fresh.length > 0) await this.find(e, 'new_country', t, fresh.length, { countries: fresh }, { countries: fresh, lookbackDays: rule.windowSeconds! / 86_400 });
    }
  }

  private async manyNetworks(e: Evaluation, tokens: readonly TokenUseSignal[]): Promise<void> {
    const rule = e.rules.many_networks;
    const sightings = tokens.flatMap((t) => t.addressHashes.map((addressHash) => ({ tokenId: t.tokenId, addressHash, at: new Date(t.lastAt) })));
    if (sightings.length === 0) return;
    const windowStart = new Date(Math.min(...tokens.map((t) => t.lastAt)) - rule.windowSeconds! * 1000);
    // Sightings are kept while the rule is off too: switched on, it counts the hour before.
    const grown = await this.windows.sightNetworks(e.tx, sightings, windowStart);
    if (!rule.enabled) return;
    for (const t of tokens) {
      if (!grown.has(t.tokenId)) continue;
      const since = new Date(t.lastAt - rule.windowSeconds! * 1000);
      const networks = await this.windows.networksSince(e.tx, t.tokenId, since, rule.threshold! + 1);
      if (networks > rule.threshold!) {
        await this.find(e, 'many_networks', t, t.uses.length > 0 ? totalOf(t.uses) : 1, 'any', { networks, threshold: rule.threshold, windowSeconds: rule.windowSeconds });
      }
    }
  }

  private async usageSpikes(e: Evaluation, tokens: readonly TokenUseSignal[]): Promise<void> {
    const rule = e.rules.usage_spike;
    if (!rule.enabled || tokens.length === 0) return;
    const now = Math.max(...tokens.map((t) => t.lastAt));
    const sums = await this.windows.sums(e.tx, tokens.map((t) => usesSubject(t.tokenId)), bucketOf(now - rule.windowSeconds! * 1000) + ALERT_BUCKET_SECONDS);
    const busy = tokens.filter((t) => (sums.get(usesSubject(t.tokenId)) ?? 0) >= USAGE_SPIKE_MIN_USES);
    if (busy.length === 0) return;
    const hourStart = new Date(Math.floor(now / HOUR_MS) * HOUR_MS);
    const history = await this.windows.usesBetween(e.tx, busy.map((t) => t.tokenId), new Date(hourStart.getTime() - SPIKE_HISTORY_MS), hourStart);
    for (const t of busy) {
      const uses = sums.get(usesSubject(t.tokenId)) ?? 0;
      const past = history.get(t.tokenId);
      const historySeconds = past ? (hourStart.getTime() - Math.max(past.firstAt.getTime(), hourStart.getTime() - SPIKE_HISTORY_MS)) / 1000 : 0;
      const verdict = isUsageSpike({ uses, factor: rule.threshold!, windowSeconds: rule.windowSeconds!, historyUses: past?.uses ?? 0, historySeconds });
      if (verdict.spike) {
        await this.find(e, 'usage_spike', t, totalOf(t.uses), 'any', {
          uses,
          baseline: Math.round(verdict.baseline! * 100) / 100,
          factor: rule.threshold,
          windowSeconds: rule.windowSeconds,
        });
      }
    }
  }

  private async rateLimitedRepeatedly(e: Evaluation, tokens: readonly TokenUseSignal[]): Promise<void> {
    const rule = e.rules.rate_limited_repeatedly;
    const limited = tokens.filter((t) => t.rateLimitedAt.length > 0);
    if (!rule.enabled || limited.length === 0) return;
    const now = Math.max(...limited.map((t) => t.lastAt));
    const windows = await this.windows.bucketsWithCounts(e.tx, limited.map((t) => rateLimitedSubject(t.tokenId)), Math.floor(now / 1000) - rule.windowSeconds!);
    for (const t of limited) {
      const over = windows.get(rateLimitedSubject(t.tokenId)) ?? 0;
      if (over >= rule.threshold!) {
        await this.find(e, 'rate_limited_repeatedly', t, t.rateLimitedAt.length, 'rate_limited', {
          windowsOverLimit: over,
          threshold: rule.threshold,
          windowSeconds: rule.windowSeconds,
          rateLimitWindowSeconds: e.tokens.get(t.tokenId)!.rateLimitWindowSeconds,
        });
      }
    }
  }

  private async bruteForce(e: Evaluation, failures: readonly FailureSignal[]): Promise<void> {
    const rule = e.rules.brute_force;
    if (!rule.enabled || failures.length === 0) return;
    const now = Math.max(...failures.map((f) => f.lastAt));
    const sums = await this.windows.sums(e.tx, failures.map((f) => failureSubject(f.subject)), bucketOf(now - rule.windowSeconds! * 1000) + ALERT_BUCKET_SECONDS);
    for (const f of failures) {
      const failed = sums.get(failureSubject(f.subject)) ?? 0;
      if (failed < rule.threshold!) continue;
      const callerId = f.subject.startsWith('caller:') ? f.subject.slice('caller:'.length) : null;
      const caller = callerId ? e.tokens.get(callerId) : undefined;
      const evidence = await this.windows.failureEvidence(e.tx, f.subject, new Date(f.firstAt), new Date(f.lastAt), EVIDENCE_PER_ALERT);
      e.findings.push(
        this.findingOf('brute_force', e, f.subject, caller?.id ?? null, caller?.ownerServiceId ?? null, f.firstAt, f.lastAt, totalOf(f.counts), evidence, {
          failures: failed,
          threshold: rule.threshold,
          windowSeconds: rule.windowSeconds,
        }),
      );
    }
  }

  /** A finding about one token, with its evidence, when the rule is on. */
  private async find(e: Evaluation, rule: AlertRule, t: TokenUseSignal, count: number, evidenceKind: EvidenceKind, details: Record<string, unknown>): Promise<void> {
    if (!e.rules[rule].enabled) return;
    const token = e.tokens.get(t.tokenId)!;
    const evidence = await this.windows.evidence(e.tx, t.tokenId, evidenceKind, new Date(t.firstAt), new Date(t.lastAt), EVIDENCE_PER_ALERT);
    // The signal spans all of the token's uses; the evidence those the rule is about.
    const [firstAt, lastAt] = evidence.length > 0 ? [Date.parse(evidence[0]!.at), Date.parse(evidence[evidence.length - 1]!.at)] : [t.firstAt, t.lastAt];
    e.findings.push(this.findingOf(rule, e, tokenSubject(token.id), token.id, token.ownerServiceId, firstAt, lastAt, count, evidence, details));
  }

  private findingOf(
    rule: AlertRule,
    e: Evaluation,
    subject: string,
    tokenId: string | null,
    serviceId: string | null,
    firstAt: number,
    lastAt: number,
    count: number,
    evidence: AlertEvidenceEvent[],
    details: Record<string, unknown>,
  ): AlertFinding {
    return {
      id: newId('alr'),
      rule,
      severity: e.rules[rule].severity,
      subject,
      tokenId,
      serviceId,
      firstSeenAt: new Date(firstAt),
      lastSeenAt: new Date(lastAt),
      count: Math.max(1, count),
      evidence,
      details,
    };
  }
}

export function tokenSubject(tokenId: string): string {
  return `token:${tokenId}`;
}

function usesSubject(tokenId: string): string {
  return `uses:${tokenId}`;
}

function rateLimitedSubject(tokenId: string): string {
  return `rate_limited:${tokenId}`;
}

function failureSubject(subject: string): string {
  return `failures:${subject}`;
}

function callersOf(failures: readonly FailureSignal[]): string[] {
  return failures.filter((f) => f.subject.startsWith('caller:')).map((f) => f.subject.slice('caller:'.length));
}
