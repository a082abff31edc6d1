import { complianceGeofence, type JudgedGeofence } from '@custos/domain';
import type { ComplianceRepository, GeoFencedToken, Tx } from '@custos/persistence';
import type { ComplianceControl, ControlContext, EvidenceRow } from './control';

export type GeofenceReads = Pick<ComplianceRepository, 'liveTokensReaching'>;

/** Tokens are read in pages of this many while they are judged. */
const PAGE = 1000;

export interface GeofenceFindingsSpec extends Pick<ComplianceControl, 'id' | 'title' | 'description' | 'mappings'> {
  /** The data categories that put a live token in the control's scope. */
  categories(ctx: ControlContext): readonly string[];
  /** What the token's geofence lacks (each a few words); none: it holds. */
  gaps(fence: JudgedGeofence): string[];
  /** The metric counting the tokens in scope (personalDataTokens, ...). */
  scopeMetric: string;
  summary(found: number, inScope: number, ctx: ControlContext): string;
}

/** The live tokens reaching the categories, in id order after `after`, page by page. */
async function* tokensReaching(reads: GeofenceReads, tx: Tx, categories: readonly string[], after: string | null): AsyncGenerator<GeoFencedToken> {
  let position = after;
  for (;;) {
    const page = await reads.liveTokensReaching(tx, categories, position, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    position = page[page.length - 1]!.id;
  }
}

function findingOf(token: GeoFencedToken, fence: JudgedGeofence, gaps: readonly string[]): EvidenceRow {
  return {
    key: token.id,
    subject: token.id,
    detail: `carries ${token.dataCategories.join(', ')}: ${gaps.join(', ')}`,
    data: {
      name: token.name,
      status: token.status,
      dataCategories: token.dataCategories.join(' '),
      ...geofenceData(fence),
    },
  };
}

/** A judged geofence as evidence data: the token's own columns, and how many fences apply (its own and matching policy rules). */
export function geofenceData({ own, restrictions }: JudgedGeofence): EvidenceRow['data'] {
  return {
    geoMode: own.mode,
    residencyRegion: own.residencyRegion,
    allowedRegions: own.allowedRegions.join(' '),
    allowedCountries: own.allowedCountries.join(' '),
    fences: restrictions.fences.length,
  };
}

/**
 * A control over the geofences of the live tokens reaching some data categories: each token whose fence
 * (complianceGeofence: its own and the tenant policy's rules for its data) has a gap is a finding and fails it. The rule is
 * TypeScript, not SQL, so the tokens are read in pages and judged as they come.
 */
export function geofenceFindingsControl(reads: GeofenceReads, spec: GeofenceFindingsSpec): ComplianceControl {
  const { categories, gaps, scopeMetric, summary, ...identity } = spec;
  const findings = async function* (tx: Tx, ctx: ControlContext, after: string | null): AsyncGenerator<EvidenceRow | null> {
    for await (const token of tokensReaching(reads, tx, categories(ctx), after)) {
      const fence = complianceGeofence(token, ctx.policy.geo);
      const missing = gaps(fence);
      yield missing.length > 0 ? findingOf(token, fence, missing) : null;
    }
  };
  return {
    ...identity,
    async assess(tx, ctx) {
      let inScope = 0;
      let found = 0;
      for await (const finding of findings(tx, ctx, null)) {
        inScope++;
        if (finding) found++;
      }
      return {
        status: found > 0 ? 'fail' : 'pass',
        summary: summary(found, inScope, ctx),
        evidenceCount: found,
        metrics: { findings: found, [scopeMetric]: inScope },
      };
    },
    async evidence(tx, ctx, after, limit) {
      const rows: EvidenceRow[] = [];
      if (limit <= 0) return rows;
      for await (const finding of findings(tx, ctx, after)) {
        if (!finding) continue;
        rows.push(finding);
        if (rows.length >= limit) break;
      }
      return rows;
    },
  };
}
