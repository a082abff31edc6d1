import { VerifyCode } from '@custos/contracts';
import { complianceGeofence, transferStanding, type JudgedGeofence, type TransferStanding } from '@custos/domain';
import type { CrossBorderPosition, CrossBorderTransfer, Tx } from '@custos/persistence';
import { crossBorderTransfers, crossBorderView, routeOf, type CrossBorderReads } from '../../usage/cross-border-query';
import type { ComplianceControl, ControlContext, EvidenceRow } from './control';
import { plural } from './findings-control';
import { geofenceData } from './geofence-findings';

export type CrossBorderTransferReads = CrossBorderReads;

const STANDING_DETAIL: Record<TransferStanding, string> = {
  refused: 'every use refused',
  inside: 'inside its geofence',
  unfenced: 'no geofence restricts it',
  outside: 'outside its geofence',
};

interface JudgedTransfer {
  transfer: CrossBorderTransfer;
  fence: JudgedGeofence;
  standing: TransferStanding;
  letThrough: number;
}

function judged(transfer: CrossBorderTransfer, ctx: ControlContext): JudgedTransfer {
  const letThrough = transfer.byOutcome[VerifyCode.VALID] ?? 0;
  const fence = complianceGeofence(transfer, ctx.policy.geo);
  return { transfer, fence, letThrough, standing: transferStanding(fence, transfer.country, letThrough) };
}

/** An evidence row's key: the token and the country, in the order the transfers are read. */
const keyOf = (t: Pick<CrossBorderTransfer, 'tokenId' | 'country'>): string => `${t.tokenId} ${t.country}`;

function positionOf(key: string): CrossBorderPosition {
  const cut = key.lastIndexOf(' ');
  return { tokenId: key.slice(0, cut), country: key.slice(cut + 1) };
}

function rowOf({ transfer, fence, standing, letThrough }: JudgedTransfer): EvidenceRow {
  const view = crossBorderView(transfer);
  return {
    key: keyOf(transfer),
    subject: view.tokenId,
    detail: `${routeOf(view)}: ${plural(view.count, 'use')}, ${letThrough} let through; ${STANDING_DETAIL[standing]}`,
    data: {
      name: view.tokenName,
      fromRegion: view.fromRegion,
      toCountry: view.toCountry,
      toRegion: view.toRegion,
      count: view.count,
      letThrough,
      geoBlocked: view.byOutcome[VerifyCode.GEO_BLOCKED] ?? 0,
      firstAt: view.firstAt,
      lastAt: view.lastAt,
      ...geofenceData(fence),
      standing,
    },
  };
}

async function* judgedTransfers(reads: CrossBorderTransferReads, tx: Tx, ctx: ControlContext, after: CrossBorderPosition | null): AsyncGenerator<JudgedTransfer> {
  for await (const transfer of crossBorderTransfers(reads, tx, { from: ctx.from, to: ctx.to }, after)) yield judged(transfer, ctx);
}

/**
 * The cross-border transfers of the period, per token and destination country, every one an evidence
 * row (GDPR Chapter V: a record of what left the residency region, and under which fence). Uses let
 * through (VALID) to a country outside one of the token's fences fail the control; uses let through by a
 * token no fence restricts make it warn (nothing says the destination is allowed); refused uses and uses
 * inside every fence pass.
 */
export const crossBorderTransfersControl = (reads: CrossBorderTransferReads): ComplianceControl => ({
  id: 'cross-border-transfers',
  title: 'Cross-border transfers stay inside the geofence',
  description:
    "Lists every token used in the period from a country outside its residency region (uses summed per token and country, from the hourly usage rollups, so from the start of the period's first hour), with how many uses were let through (VALID). A use let through to a country outside one of the token's geofences (its own or a geo rule of the tenant policy for its data: a monitored one, or one narrowed since) fails the control; one let through by a token no geofence restricts makes it warn. Refused uses (GEO_BLOCKED and other refusals) carried no data.",
  mappings: {
    soc2: ['CC7.2'],
    gdpr: ['Art. 30(1)(e)', 'Art. 44', 'Art. 46'],
  },
  async assess(tx, ctx) {
    const counts: Record<TransferStanding, number> = { refused: 0, inside: 0, unfenced: 0, outside: 0 };
    const tokens = new Set<string>();
    let uses = 0;
    let transfers = 0;
    for await (const { transfer, standing } of judgedTransfers(reads, tx, ctx, null)) {
      transfers++;
      counts[standing]++;
      tokens.add(transfer.tokenId);
      uses += transfer.count;
    }
    const status = counts.outside > 0 ? 'fail' : counts.unfenced > 0 ? 'warn' : 'pass';
    const summary =
      transfers === 0
        ? 'No token was used from outside its residency region in the period.'
        : `${plural(uses, 'cross-border use')} of ${plural(tokens.size, 'token')} to ${plural(transfers, 'token-country pair')}: ` +
          `${counts.outside} let through outside the geofence, ${counts.unfenced} without a geofence, ${counts.inside} inside it, ${counts.refused} refused.`;
    return {
      status,
      summary,
      evidenceCount: transfers,
      metrics: { transfers, uses, tokens: tokens.size, outsideGeofence: counts.outside, unfenced: counts.unfenced, insideGeofence: counts.inside, refused: counts.refused },
    };
  },
  async evidence(tx, ctx, after, limit) {
    const rows: EvidenceRow[] = [];
    if (limit <= 0) return rows;
    for await (const transfer of judgedTransfers(reads, tx, ctx, after === null ? null : positionOf(after))) {
      rows.push(rowOf(transfer));
      if (rows.length >= limit) break;
    }
    return rows;
  },
});
