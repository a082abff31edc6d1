import { Injectable } from '@nestjs/common';
import type { AlertSignal } from '@custos/domain';
import type { Tx } from '../database/database';
import type { AlertEvidenceEvent } from './alert.repository';

/**
 * The NOTIFY channel a written signal wakes the evaluator on, at commit (the evaluator polls too: a
 * notification missed while its connection was down costs one polling interval, never the signal).
 */
export const ALERT_SIGNAL_CHANNEL = 'custos_alert_signals';

/** A count to add to a subject's bucket (alert_counters). */
export interface CounterIncrement {
  subject: string;
  bucket: number;
  count: number;
}

/** An address hash a token was used from, and when last (alert_networks). */
export interface NetworkSighting {
  tokenId: string;
  addressHash: string;
  at: Date;
}

/** Which events of a token's window are evidence for a rule. */
export type EvidenceKind = 'dead' | 'cross_border' | 'plaintext' | 'rate_limited' | 'any' | { countries: string[] };

/**
 * The evaluator's side of alerting: the signals the usage writer leaves (alert_signals), the windows the
 * rules count in (alert_counters, alert_networks), the history they compare with (usage rollups) and
 * the events they show as evidence (usage_events). All in the tenant's transaction.
 */
@Injectable()
export class AlertSignalRepository {
  /** Beside the batch of usage events it sums up, in their transaction; the evaluator hears of it when it commits. */
  async insert(tx: Tx, signal: AlertSignal): Promise<void> {
    await tx.rows(
      `WITH inserted AS (
         INSERT INTO alert_signals (tenant_id, signal) VALUES (current_setting('app.tenant_id'), $1::jsonb) RETURNING 1
       )
       SELECT pg_notify('${ALERT_SIGNAL_CHANNEL}', '') FROM inserted`,
      [JSON.stringify(signal)],
    );
  }

  /** Tenants with signals waiting, from a system transaction. */
  async tenantsWithSignals(tx: Tx, limit: number): Promise<string[]> {
    const rows = await tx.rows<{ t: string }>(`SELECT custos_tenants_with_alert_signals($1) AS t`, [limit]);
    return rows.map((r) => r.t);
  }

  /**
   * Takes the oldest waiting signals of the tenant: deleted in this transaction, so they are evaluated
   * exactly once when it commits and again when it does not. Another evaluator skips them meanwhile.
   */
  async claim(tx: Tx, limit: number): Promise<AlertSignal[]> {
    const rows = await tx.rows<{ signal: AlertSignal }>(
      `DELETE FROM alert_signals WHERE (tenant_id, id) IN (
         SELECT tenant_id, id FROM alert_signals ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING signal`,
      [limit],
    );
    return rows.map((r) => r.signal);
  }

  /** Adds the counts (same subject and bucket summed), in key order so that evaluators never deadlock. */
  async addCounts(tx: Tx, increments: readonly CounterIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    await tx.rows(
      `INSERT INTO alert_counters AS c (tenant_id, subject, bucket, count)
       SELECT current_setting('app.tenant_id'), subject, bucket, sum(count)
         FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS i(subject, bucket, count)
        GROUP BY subject, bucket ORDER BY subject, bucket
       ON CONFLICT (tenant_id, subject, bucket) DO UPDATE SET count = c.count + excluded.count`,
      [increments.map((i) => i.subject), increments.map((i) => i.bucket), increments.map((i) => i.count)],
    );
  }

  /** Per subject, the sum of its buckets from `sinceBucket` on. */
  async sums(tx: Tx, subjects: readonly string[], sinceBucket: number): Promise<Map<string, number>> {
    if (subjects.length === 0) return new Map();
    const rows = await tx.rows<{ subject: string; n: string }>(
      `SELECT subject, sum(count) AS n FROM alert_counters WHERE subject = ANY($1) AND bucket >= $2 GROUP BY subject`,
      [subjects, sinceBucket],
    );
    return new Map(rows.map((r) => [r.subject, Number(r.n)]));
  }

  /** Per subject, how many of its buckets from `sinceBucket` on have a count. */
  async bucketsWithCounts(tx: Tx, subjects: readonly string[], sinceBucket: number): Promise<Map<string, number>> {
    if (subjects.length === 0) return new Map();
    const rows = await tx.rows<{ subject: string; n: string }>(
      `SELECT subject, count(*) AS n FROM alert_counters WHERE subject = ANY($1) AND bucket >= $2 GROUP BY subject`,
      [subjects, sinceBucket],
    );
    return new Map(rows.map((r) => [r.subject, Number(r.n)]));
  }

  /**
   * Records the sightings and answers the tokens for which one is new in the window (never seen, or
   * not since `windowStart`): only those can have passed a threshold of distinct addresses.
   */
  async sightNetworks(tx: Tx, sightings: readonly NetworkSighting[], windowStart: Date): Promise<Set<string>> {
    if (sightings.length === 0) return new Set();
    const rows = await tx.rows<{ token_id: string }>(
      `WITH input AS (
         SELECT token_id, ip_hash, max(at) AS at FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS i(token_id, ip_hash, at)
          GROUP BY 1, 2
       ), before AS (
         SELECT i.token_id, i.ip_hash, n.last_seen_at FROM input i
           LEFT JOIN alert_networks n ON n.tenant_id = current_setting('app.tenant_id') AND n.token_id = i.token_id AND n.ip_hash = i.ip_hash
       ), upserted AS (
         INSERT INTO alert_networks AS n (tenant_id, token_id, ip_hash, last_seen_at)
         SELECT current_setting('app.tenant_id'), token_id, ip_hash, at FROM input ORDER BY 2, 3
         ON CONFLICT (tenant_id, token_id, ip_hash) DO UPDATE SET last_seen_at = excluded.last_seen_at
          WHERE n.last_seen_at < excluded.last_seen_at
       )
       SELECT DISTINCT token_id FROM before WHERE last_seen_at IS NULL OR last_seen_at < $4`,
      [sightings.map((s) => s.tokenId), sightings.map((s) => s.addressHash), sightings.map((s) => s.at), windowStart],
    );
    return new Set(rows.map((r) => r.token_id));
  }

  /** How many distinct addresses the token was used from since `since`, counted up to `cap` (enough to pass a threshold). */
  async networksSince(tx: Tx, tokenId: string, since: Date, cap: number): Promise<number> {
    const row = await tx.one<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM alert_networks WHERE token_id = $1 AND last_seen_at >= $2 LIMIT $3) seen`,
      [tokenId, since, cap],
    );
    return Number(row?.n ?? 0);
  }

  /**
   * For each token and country, whether the token was used from that country between `since` and the
   * time given (usage rollups, which the events' own statement keeps current); and whether the token
   * was used at all in that time, since a token's first uses see nothing new.
   */
  async countryHistory(
    tx: Tx,
    pairs: readonly { tokenId: string; country: string; before: Date }[],
    since: Date,
  ): Promise<{ seen: Set<string>; used: Set<string> }> {
    if (pairs.length === 0) return { seen: new Set(), used: new Set() };
    const rows = await tx.rows<{ token_id: string; country: string; seen: boolean; used: boolean }>(
      `SELECT p.token_id, p.country,
              EXISTS (SELECT 1 FROM usage_rollups_hourly r WHERE r.token_id = p.token_id AND r.hour >= date_trunc('hour', $4::timestamptz, 'UTC')
                         AND r.country = p.country AND r.first_at < p.before AND r.first_at >= $4) AS seen,
              EXISTS (SELECT 1 FROM usage_rollups_hourly r WHERE r.token_id = p.token_id AND r.hour >= date_trunc('hour', $4::timestamptz, 'UTC')
                         AND r.first_at < p.before AND r.first_at >= $4) AS used
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS p(token_id, country, before)`,
      [pairs.map((p) => p.tokenId), pairs.map((p) => p.country), pairs.map((p) => p.before), since],
    );
    return {
      seen: new Set(rows.filter((r) => r.seen).map((r) => `${r.token_id} ${r.country}`)),
      used: new Set(rows.filter((r) => r.used).map((r) => r.token_id)),
    };
  }

  /** Uses of each token between `from` and `to` (hourly rollups), and the earliest of them. */
  async usesBetween(tx: Tx, tokenIds: readonly string[], from: Date, to: Date): Promise<Map<string, { uses: number; firstAt: Date }>> {
    if (tokenIds.length === 0) return new Map();
    const rows = await tx.rows<{ token_id: string; n: string; first_at: Date }>(
      `SELECT token_id, sum(count) AS n, min(first_at) AS first_at FROM usage_rollups_hourly
        WHERE token_id = ANY($1) AND hour >= $2 AND hour < $3 GROUP BY token_id`,
      [tokenIds, from, to],
    );
    return new Map(rows.map((r) => [r.token_id, { uses: Number(r.n), firstAt: r.first_at }]));
  }

  /** Up to `limit` of the token's events between `from` and `to` (inclusive) of the kind, newest last. */
  async evidence(tx: Tx, tokenId: string, kind: EvidenceKind, from: Date, to: Date, limit: number): Promise<AlertEvidenceEvent[]> {
    const params: unknown[] = [tokenId, from, to, limit];
    let filter = '';
    if (kind === 'dead') filter = `AND outcome IN ('REVOKED', 'EXPIRED', 'SUSPENDED')`;
    else if (kind === 'cross_border') filter = 'AND cross_border';
    else if (kind === 'plaintext') filter = `AND transport = 'http'`;
    else if (kind === 'rate_limited') filter = `AND outcome = 'RATE_LIMITED'`;
    else if (typeof kind === 'object') {
      params.push(kind.countries);
      filter = `AND country = ANY($5)`;
    }
    return this.events(tx, `token_id = $1 AND occurred_at >= $2 AND occurred_at <= $3 ${filter}`, params);
  }

  /** Up to `limit` failing verify answers of a caller or a network between `from` and `to`. */
  async failureEvidence(tx: Tx, subject: string, from: Date, to: Date, limit: number): Promise<AlertEvidenceEvent[]> {
    const [kind, value] = splitSubject(subject);
    const column = kind === 'caller' ? 'caller_id = $1' : 'ip_prefix = $1::cidr';
    return this.events(
      tx,
      `${column} AND occurred_at >= $2 AND occurred_at <= $3 AND token_id IS NULL AND kind = 'verify' AND outcome IN ('MALFORMED', 'NOT_FOUND')`,
      [value, from, to, limit],
    );
  }

  /** Drops counts and sightings older than the windows need, across tenants; how many of each went. */
  async prune(tx: Tx, countersBefore: number, networksBefore: Date, limit: number): Promise<{ counters: number; networks: number }> {
    const row = await tx.one<{ counters: string; networks: string }>(`SELECT * FROM custos_alerts_prune($1, $2, $3)`, [countersBefore, networksBefore, limit]);
    return { counters: Number(row?.counters ?? 0), networks: Number(row?.networks ?? 0) };
  }

  private async events(tx: Tx, where: string, params: unknown[]): Promise<AlertEvidenceEvent[]> {
    const rows = await tx.rows<{ at: Date; outcome: string; ip_prefix: string | null; country: string | null; resource: string | null; transport: string; caller_id: string | null }>(
      `SELECT * FROM (
         SELECT occurred_at AS at, outcome, ip_prefix::text AS ip_prefix, country, resource, transport, caller_id, id
           FROM usage_events WHERE ${where} ORDER BY occurred_at DESC, id DESC LIMIT $4
       ) newest ORDER BY at, id`,
      params,
    );
    return rows.map((r) => ({ at: r.at.toISOString(), outcome: r.outcome, ipPrefix: r.ip_prefix, country: r.country, resource: r.resource, transport: r.transport, callerId: r.caller_id }));
  }
}

function splitSubject(subject: string): ['caller' | 'network', string] {
  const at = subject.indexOf(':');
  return [subject.slice(0, at) === 'caller' ? 'caller' : 'network', subject.slice(at + 1)];
}
