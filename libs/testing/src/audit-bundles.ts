import {
  AUDIT_BUNDLE_FORMAT,
  CHECKPOINT_JWS_TYPE,
  type BundleCheckpointLine,
  type BundleEventLine,
  type BundleHeaderLine,
  type CheckpointPayload,
} from '@custos/contracts';
import { generateSigningKey, signJws, type GeneratedSigningKey } from '@custos/crypto';
import { GENESIS_HASH, chainHash, checkpointPayloadJson } from '@custos/domain';

/** Audit export bundles built in memory, for the offline verifier's tests (no server involved). */

export const BUNDLE_TENANT = 'ten_bundle';

/** A tenant's chain of `count` events, with checkpoints signed at the given sequence numbers. */
async function chainedEvents(
  count: number,
  checkpointAt: readonly number[],
  key: GeneratedSigningKey,
): Promise<{ events: BundleEventLine[]; checkpoints: BundleCheckpointLine[] }> {
  const events: BundleEventLine[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const body = {
      tenantId: BUNDLE_TENANT,
      seq,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      action: seq % 2 ? 'token.issued' : 'token.revoked',
      actorType: 'user',
      actorId: 'usr_1',
      targetType: 'token',
      targetId: `tok_${seq}`,
      requestId: `req-${seq}`,
      data: { reason: `number ${seq}`, nested: { b: 2, a: [1, 'ü'] } },
    };
    const hash = chainHash(prevHash, body);
    events.push({ type: 'event', ...body, prevHash, hash });
    prevHash = hash;
  }
  const checkpoints: BundleCheckpointLine[] = [];
  let prev: string | null = null;
  for (const seq of checkpointAt) {
    const checkpoint = await signedCheckpoint(key, events[seq - 1]!, { id: `ckp_${seq}`, at: '2026-01-02T00:00:00.000Z', prev });
    checkpoints.push(checkpoint);
    prev = checkpoint.id;
  }
  return { events, checkpoints };
}

export interface ExampleBundle {
  header: BundleHeaderLine;
  events: BundleEventLine[];
  checkpoints: BundleCheckpointLine[];
  key: GeneratedSigningKey;
}

/**
 * Events firstSeq..lastSeq of a `total`-event chain with a checkpoint every `every` events, and the
 * checkpoints over them, as an export writes them (default: all 12 events, checkpoints at 4, 8 and 12,
 * so the bundle ends on one). `all` holds the whole chain's checkpoints, for tests that need others.
 */
export async function exampleBundle(firstSeq = 1, lastSeq = 12, { total = 12, every = 4 } = {}): Promise<ExampleBundle & { all: BundleCheckpointLine[] }> {
  const key = await generateSigningKey();
  const all = await chainedEvents(total, Array.from({ length: Math.floor(total / every) }, (_, i) => (i + 1) * every), key);
  const events = all.events.slice(firstSeq - 1, lastSeq);
  const header: BundleHeaderLine = {
    type: 'header',
    format: AUDIT_BUNDLE_FORMAT,
    tenantId: BUNDLE_TENANT,
    from: null,
    to: null,
    prevHash: events[0]!.prevHash,
    firstSeq,
    lastSeq,
    generatedAt: '2026-01-03T00:00:00.000Z',
  };
  const checkpoints = all.checkpoints.filter((c) => c.seq >= firstSeq && c.seq <= lastSeq);
  return { header, events, checkpoints, key, all: all.checkpoints };
}

/** A checkpoint over `event` signed with `key`, as the server would sign it at `at`. */
export async function signedCheckpoint(
  key: GeneratedSigningKey,
  event: BundleEventLine,
  fields: { id: string; at: string; prev: string | null; hash?: string; tenantId?: string },
): Promise<BundleCheckpointLine> {
  const payload: CheckpointPayload = {
    id: fields.id,
    tenantId: fields.tenantId ?? event.tenantId,
    seq: event.seq,
    hash: fields.hash ?? event.hash,
    at: fields.at,
    prev: fields.prev,
  };
  const jws = await signJws(key.privateJwk, checkpointPayloadJson(payload), CHECKPOINT_JWS_TYPE);
  return { type: 'checkpoint', id: payload.id, seq: payload.seq, hash: payload.hash, at: payload.at, prev: payload.prev, jws };
}

/** The bundle's lines as the export writes them: header, events, checkpoints, JWKS. */
export function bundleLines(b: ExampleBundle, jwks: unknown = { type: 'jwks', keys: [b.key.publicJwk] }): string[] {
  return [b.header, ...b.events, ...b.checkpoints, jwks].map((l) => JSON.stringify(l));
}
