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

/** The outcome of checking a checkpoint's JWS with a JWKS (as libs/crypto's verifyJws answers it). */
export type CheckedJws = { valid: true; payload: string } | { valid: false; reason: string };

/**
 * Why a checkpoint's JWS does not vouch for the checkpoint as it is shown (`shown`, e.g. a stored row or
 * a bundle line), or null when it does: the signature must verify and the signed payload must be
 * exactly `shown`. `where` names what is shown, for the message ("the stored one", "the bundle's").
 */
export function checkpointSignatureProblem(checked: CheckedJws, shown: CheckpointPayload, where: string): string | null {
  if (!checked.valid) return checked.reason;
  const signed = parseCheckpointPayload(checked.payload);
  if (!signed) return 'its signed payload is not a checkpoint';
  const differing = (Object.keys(shown) as Array<keyof CheckpointPayload>).filter((k) => signed[k] !== shown[k]);
  if (differing.length === 0) return null;
  return `the signed ${differing.join(', ')} differ${differing.length === 1 ? 's' : ''} from ${where}`;
}

/** When a tenant's chain head is due a checkpoint: this many events past the latest, or once it is this old (null: rule off). */
export interface CheckpointRules {
  everyEvents: number | null;
  maxAgeMs: number | null;
}

/**
 * Whether a head that moved past its latest checkpoint's own event is due a new one under `rules`. A
 * tenant with no checkpoint yet is due at once under the age rule (its events are unsigned since the
 * first), and once it has `everyEvents` events under the count rule. The worker's discovery query
 * (custos_tenants_due_checkpoint) applies the same rules across tenants.
 */
export function checkpointDue(
  headSeq: number,
  latest: { eventSeq: number; at: Date } | null,
  rules: CheckpointRules,
  now: Date,
): boolean {
  const since = headSeq - (latest?.eventSeq ?? 0);
  if (since <= 0) return false;
  if (rules.everyEvents !== null && since >= rules.everyEvents) return true;
  return rules.maxAgeMs !== null && (latest === null || now.getTime() - latest.at.getTime() >= rules.maxAgeMs);
}
