import { boundedUsageEvent, type UsageEvent, type UsageKind, type UsageTransport } from './usage-event';

/** One array per field of an event but the tenant, which a batch has one of; `occurredAt` as epoch milliseconds. */
export interface UsageEventColumns {
  occurredAt: number[];
  kind: UsageKind[];
  tokenId: (string | null)[];
  callerId: (string | null)[];
  outcome: string[];
  ipPrefix: (string | null)[];
  ipHash: (string | null)[];
  country: (string | null)[];
  claimedCountry: (string | null)[];
  region: (string | null)[];
  resource: (string | null)[];
  transport: UsageTransport[];
  userAgent: (string | null)[];
  crossBorder: boolean[];
  geoFlagged: boolean[];
  uses: number[];
}

type ColumnName = keyof UsageEventColumns;

const COLUMN_NAMES: readonly ColumnName[] = [
  'occurredAt',
  'kind',
  'tokenId',
  'callerId',
  'outcome',
  'ipPrefix',
  'ipHash',
  'country',
  'claimedCountry',
  'region',
  'resource',
  'transport',
  'userAgent',
  'crossBorder',
  'geoFlagged',
  'uses',
];

function emptyColumns(): UsageEventColumns {
  return {
    occurredAt: [],
    kind: [],
    tokenId: [],
    callerId: [],
    outcome: [],
    ipPrefix: [],
    ipHash: [],
    country: [],
    claimedCountry: [],
    region: [],
    resource: [],
    transport: [],
    userAgent: [],
    crossBorder: [],
    geoFlagged: [],
    uses: [],
  };
}

/**
 * Usage events of one tenant as columns. A buffered event is a value in each array, not an object
 * kept until its flush: bench:usage measured the retained objects in the verify path's garbage
 * collection. A batch is written as the arrays it already is (one array parameter per column).
 */
export class UsageEventBatch {
  private constructor(
    readonly tenantId: string,
    readonly columns: UsageEventColumns,
  ) {}

  static empty(tenantId: string): UsageEventBatch {
    return new UsageEventBatch(tenantId, emptyColumns());
  }

  /** The events of one tenant (each must be of `tenantId`), as they are kept (boundedUsageEvent). */
  static of(tenantId: string, events: readonly UsageEvent[]): UsageEventBatch {
    const batch = UsageEventBatch.empty(tenantId);
    for (const event of events) batch.push(event);
    return batch;
  }

  get length(): number {
    return this.columns.occurredAt.length;
  }

  /** Adds the event as it is kept (boundedUsageEvent); it must be of this batch's tenant. */
  push(event: UsageEvent): void {
    if (event.tenantId !== this.tenantId) throw new Error(`a usage event of ${event.tenantId} does not belong in a batch of ${this.tenantId}`);
    const kept = boundedUsageEvent(event);
    const c = this.columns;
    c.occurredAt.push(kept.occurredAt.getTime());
    c.kind.push(kept.kind);
    c.tokenId.push(kept.tokenId);
    c.callerId.push(kept.callerId);
    c.outcome.push(kept.outcome);
    c.ipPrefix.push(kept.ipPrefix);
    c.ipHash.push(kept.ipHash);
    c.country.push(kept.country);
    c.claimedCountry.push(kept.claimedCountry);
    c.region.push(kept.region);
    c.resource.push(kept.resource);
    c.transport.push(kept.transport);
    c.userAgent.push(kept.userAgent);
    c.crossBorder.push(kept.crossBorder);
    c.geoFlagged.push(kept.geoFlagged);
    c.uses.push(kept.uses ?? 1);
  }

  /** Events `start` to `end` (exclusive), as a batch of their own. */
  slice(start: number, end: number = this.length): UsageEventBatch {
    const columns = emptyColumns();
    for (const name of COLUMN_NAMES) (columns as Record<ColumnName, unknown[]>)[name] = this.columns[name].slice(start, end);
    return new UsageEventBatch(this.tenantId, columns);
  }

  /** This batch's events followed by `later`'s, of the same tenant. */
  concat(later: UsageEventBatch): UsageEventBatch {
    if (later.tenantId !== this.tenantId) throw new Error('usage event batches of two tenants cannot be joined');
    const columns = emptyColumns();
    for (const name of COLUMN_NAMES) (columns as Record<ColumnName, unknown[]>)[name] = (this.columns[name] as unknown[]).concat(later.columns[name]);
    return new UsageEventBatch(this.tenantId, columns);
  }

  /** The earliest occurrence, epoch milliseconds; Infinity when empty. */
  oldest(): number {
    let oldest = Infinity;
    for (const at of this.columns.occurredAt) if (at < oldest) oldest = at;
    return oldest;
  }

  /** The latest occurrence, epoch milliseconds; -Infinity when empty. */
  newest(): number {
    let newest = -Infinity;
    for (const at of this.columns.occurredAt) if (at > newest) newest = at;
    return newest;
  }
}
