import type { CheckpointPayload } from '@custos/contracts';
import { canonicalize } from 'json-canonicalize';

/** The bytes a checkpoint's JWS signs: RFC 8785 canonical JSON of the payload. */
export function checkpointPayloadJson(payload: CheckpointPayload): string {
  return canonicalize({
    id: payload.id,
    tenantId: payload.tenantId,
    seq: payload.seq,
    hash: payload.hash,
    at: payload.at,
    prev: payload.prev,
  });
}

/** The payload of a verified checkpoint JWS, or null when it is not one. */
export function parseCheckpointPayload(json: string): CheckpointPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { id, tenantId, seq, hash, at, prev } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof tenantId !== 'string' || typeof hash !== 'string' || typeof at !== 'string') return null;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || (prev !== null && typeof prev !== 'string')) return null;
  return { id, tenantId, seq, hash, at, prev };
}
