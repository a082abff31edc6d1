import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { REPORT_JWS_TYPE, type AlertRule, type AlertSeverity, type AlertStatus, type TokenStatus } from '@custos/contracts';
import { signDetachedJws } from '@custos/crypto';
import { DomainError } from '@custos/domain';
import { AlertRepository, ConsentRepository, Database, TokenImpactRepository, TokenRepository, type AlertRecord, type CountedValue } from '@custos/persistence';
import { AuditLog, actorOf, type AuditEntry } from '../audit/audit-log';
import { SigningKeys } from '../audit/signing-keys';
import type { Principal, RequestMeta } from '../auth/principal';
import { csvCell, csvLines } from '../shared/csv';
import { requireScope } from '../shared/require-scope';
import { requireToken } from '../tokens/token-lookups';
import { impactPdf } from './impact-pdf';

/** A data controller has this long from becoming aware of a personal data breach to notify (GDPR Art. 33). */
const NOTIFY_WITHIN_MS = 72 * 3_600_000;
/** Alerts of a token listed in its impact, newest first. */
const ALERTS_LISTED = 200;

/** What a compromised token could reach, did reach in its exposure window, and whose data (docs/alerts.md#breach-impact). */
export interface TokenImpactView {
  type: 'custos.token-impact.v1';
  generatedAt: string;
  token: {
    id: string;
    name: string;
    lookupId: string;
    status: TokenStatus;
    createdAt: string;
    expiresAt: string;
    revokedAt: string | null;
    revokedReason: string | null;
  };
  /** From the first sign of trouble (an alert, the leak report) or issuance, to revocation or now. */
  exposure: { from: string; to: string; startedBy: 'alert' | 'issuance' | 'request'; endedBy: 'revocation' | 'now' | 'request' };
  couldReach: {
    scopes: string[];
    dataCategories: string[];
    ownerServiceId: string | null;
    restrictions: {
      allowedCidrs: string[];
      geoMode: string;
      residencyRegion: string | null;
      allowedRegions: string[];
      allowedCountries: string[];
      rateLimit: { limit: number; windowSeconds: number } | null;
      remainingUses: number | null;
    };
  };
  didReach: {
    uses: number;
    byOutcome: Record<string, number>;
    firstUseAt: string | null;
    lastUseAt: string | null;
    resources: CountedValue[];
    countries: CountedValue[];
    networks: CountedValue[];
    /** Uses at or after the leak report; null when no leak was reported. */
    usesAfterLeakReport: number | null;
  };
  /** The consents the token was bound to and their data subjects (pseudonymous refs): whom a controller notifies. */
  dataSubjects: { consentId: string; subjectRef: string; purpose: string; dataCategories: string[]; lawfulBasis: string; jurisdiction: string; withdrawnAt: string | null }[];
  alerts: { id: string; rule: AlertRule; severity: AlertSeverity; status: AlertStatus; firstSeenAt: string; remediation: string | null }[];
  /** When the breach became known (the first leak report or remediated alert, else the first alert), and the 72-hour deadline. */
  clock: { knownAt: string | null; notifyBy: string | null };
}

export interface SignedImpact {
  body: Buffer;
  contentType: string;
  sha256: string;
  /** Detached JWS over the SHA-256 (hex), by the tenant's signing key: verified as a report's. */
  jws: string;
  kid: string;
}

export const IMPACT_FORMATS = ['json', 'csv', 'pdf'] as const;
export type ImpactFormat = (typeof IMPACT_FORMATS)[number];

const CONTENT_TYPES: Readonly<Record<ImpactFormat, string>> = { json: 'application/json', csv: 'text/csv; charset=utf-8', pdf: 'application/pdf' };

/** Breach impact of a token, as a signed report; every generation is audited. */
@Injectable()
export class BreachImpact {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly keys: SigningKeys,
    @Inject(TokenRepository) private readonly tokens: Pick<TokenRepository, 'findById'>,
    @Inject(AlertRepository) private readonly alerts: Pick<AlertRepository, 'list'>,
    @Inject(ConsentRepository) private readonly consents: Pick<ConsentRepository, 'find'>,
    @Inject(TokenImpactRepository) private readonly impact: Pick<TokenImpactRepository, 'reach'>,
  ) {}

  async report(principal: Principal, tokenId: string, period: { from?: Date | undefined; to?: Date | undefined }, format: ImpactFormat, meta: RequestMeta): Promise<SignedImpact> {
    requireScope(principal, 'custos:reports:read');
    if (period.from && period.to && period.from >= period.to) throw DomainError.validation([{ field: 'to', message: 'must be after from' }]);
    return this.db.tenant(principal.tenantId, async (tx) => {
      const token = requireToken(await this.tokens.findById(tx, tokenId));
      const alerts = await this.alerts.list(tx, { tokenId }, null, ALERTS_LISTED);
      const now = new Date();
      const firstAlert = earliest(alerts.map((a) => a.firstSeenAt));
      const from = period.from ?? firstAlert ?? token.createdAt;
      const to = period.to ?? token.revokedAt ?? now;
      const leakReportedAt = earliest(alerts.filter((a) => a.rule === 'leaked').map((a) => a.createdAt));
      const reach = await this.impact.reach(tx, [token.id], from, to, leakReportedAt);
      const consent = token.consentId ? await this.consents.find(tx, token.consentId) : undefined;
      const knownAt = knownAtOf(alerts);
      const view: TokenImpactView = {
        type: 'custos.token-impact.v1',
        generatedAt: now.toISOString(),
        token: {
          id: token.id,
          name: token.name,
          lookupId: token.lookupId,
          status: token.status,
          createdAt: token.createdAt.toISOString(),
          expiresAt: token.expiresAt.toISOString(),
          revokedAt: token.revokedAt?.toISOString() ?? null,
          revokedReason: token.revokedReason,
        },
        exposure: {
          from: from.toISOString(),
          to: to.toISOString(),
          startedBy: period.from ? 'request' : firstAlert ? 'alert' : 'issuance',
          endedBy: period.to ? 'request' : token.revokedAt ? 'revocation' : 'now',
        },
        couldReach: {
          scopes: token.scopes,
          dataCategories: token.dataCategories,
          ownerServiceId: token.ownerServiceId,
          restrictions: {
            allowedCidrs: token.allowedCidrs,
            geoMode: token.geoMode,
            residencyRegion: token.residencyRegion,
            allowedRegions: token.allowedRegions,
            allowedCountries: token.allowedCountries,
            rateLimit: token.rateLimit && token.rateLimitWindowSeconds ? { limit: token.rateLimit, windowSeconds: token.rateLimitWindowSeconds } : null,
            remainingUses: token.remainingUses,
          },
        },
        didReach: {
          uses: reach.uses,
          byOutcome: reach.byOutcome,
          firstUseAt: reach.firstUseAt?.toISOString() ?? null,
          lastUseAt: reach.lastUseAt?.toISOString() ?? null,
          resources: reach.resources,
          countries: reach.countries,
          networks: reach.networks,
          usesAfterLeakReport: reach.usesAfter,
        },
        dataSubjects: consent
          ? [{
              consentId: consent.id,
              subjectRef: consent.subjectRef,
              purpose: consent.purpose,
              dataCategories: consent.dataCategories,
              lawfulBasis: consent.lawfulBasis,
              jurisdiction: consent.jurisdiction,
              withdrawnAt: consent.withdrawnAt?.toISOString() ?? null,
            }]
          : [],
        alerts: alerts.map((a) => ({ id: a.id, rule: a.rule, severity: a.severity, status: a.status, firstSeenAt: a.firstSeenAt.toISOString(), remediation: a.remediation?.action ?? null })),
        clock: { knownAt: knownAt?.toISOString() ?? null, notifyBy: knownAt ? new Date(knownAt.getTime() + NOTIFY_WITHIN_MS).toISOString() : null },
      };
      const body = await rendered(view, format);
      const sha256 = createHash('sha256').update(body).digest('hex');
      const { key, created } = await this.keys.signingKey(tx, actorOf(principal));
      const jws = await signDetachedJws(key.privateJwk, sha256, REPORT_JWS_TYPE);
      const generated: AuditEntry = {
        action: 'token.impact_reported',
        actor: actorOf(principal),
        target: { type: 'token', id: token.id },
        data: { format, from: view.exposure.from, to: view.exposure.to, sha256, kid: key.kid, dataSubjects: view.dataSubjects.length },
      };
      await this.audit.record(tx, meta, ...(created ? [created] : []), generated);
      return { body, contentType: CONTENT_TYPES[format], sha256, jws, kid: key.kid };
    });
  }
}

async function rendered(view: TokenImpactView, format: ImpactFormat): Promise<Buffer> {
  if (format === 'pdf') return impactPdf(view);
  return Buffer.from(format === 'csv' ? impactCsv(view) : `${JSON.stringify(view, null, 2)}\n`, 'utf8');
}

function earliest(dates: readonly Date[]): Date | null {
  return dates.length === 0 ? null : new Date(Math.min(...dates.map((d) => d.getTime())));
}

function knownAtOf(alerts: readonly AlertRecord[]): Date | null {
  const decisive = alerts.filter((a) => a.rule === 'leaked' || (a.remediation && a.remediation.action !== 'none'));
  return earliest((decisive.length > 0 ? decisive : alerts).map((a) => a.createdAt));
}

/** One row per fact: section, item, value. */
function impactCsv(v: TokenImpactView): string {
  const rows: (string | number | null)[][] = [['section', 'item', 'value']];
  const add = (section: string, item: string, value: string | number | null) => rows.push([section, item, value]);
  add('token', 'id', v.token.id);
  add('token', 'name', v.token.name);
  add('token', 'status', v.token.status);
  add('token', 'revokedAt', v.token.revokedAt);
  add('exposure', 'from', v.exposure.from);
  add('exposure', 'to', v.exposure.to);
  for (const scope of v.couldReach.scopes) add('could_reach', 'scope', scope);
  for (const category of v.couldReach.dataCategories) add('could_reach', 'data_category', category);
  add('did_reach', 'uses', v.didReach.uses);
  for (const [outcome, n] of Object.entries(v.didReach.byOutcome)) add('did_reach', `outcome:${outcome}`, n);
  for (const r of v.didReach.resources) add('did_reach', `resource:${r.value}`, r.count);
  for (const c of v.didReach.countries) add('did_reach', `country:${c.value}`, c.count);
  for (const n of v.didReach.networks) add('did_reach', `network:${n.value}`, n.count);
  add('did_reach', 'uses_after_leak_report', v.didReach.usesAfterLeakReport);
  for (const s of v.dataSubjects) add('data_subjects', s.subjectRef, `${s.consentId} ${s.purpose}`);
  for (const a of v.alerts) add('alerts', a.id, `${a.rule} ${a.severity} ${a.status}`);
  add('clock', 'knownAt', v.clock.knownAt);
  add('clock', 'notifyBy', v.clock.notifyBy);
  return csvLines(rows.map((row) => row.map((cell) => csvCell(cell))));
}
