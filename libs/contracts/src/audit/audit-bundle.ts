/**
 * The audit export bundle (`GET /v1/audit-events/export`) and the signed checkpoints in it. The api
 * writes these shapes and `custos audit verify` reads them; docs/audit-chain.md describes them for
 * anyone writing their own verifier.
 */

/** Written in the header so a future format can be told apart. */
export const AUDIT_BUNDLE_FORMAT = 'custos.audit-bundle.v1';
export const AUDIT_BUNDLE_CONTENT_TYPE = 'application/x-ndjson';

/** The `typ` header of a checkpoint JWS: a signature made for something else is never taken for one. */
export const CHECKPOINT_JWS_TYPE = 'custos-checkpoint+json';
export const SIGNING_ALGORITHM = 'ES256';

/** A tenant's public signing key as published in its JWKS (EC P-256, for ES256 signatures). */
export interface SigningJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  /** RFC 7638 thumbprint (SHA-256, base64url) of the key. */
  kid: string;
  alg: typeof SIGNING_ALGORITHM;
  use: 'sig';
}

export interface Jwks {
  keys: SigningJwk[];
}

/** What a checkpoint's JWS signs (as RFC 8785 canonical JSON): a tenant's chain head at one moment. */
export interface CheckpointPayload {
  /** The checkpoint's own id (`ckp_…`), so the `prev` links between checkpoints are signed too. */
  id: string;
  tenantId: string;
  /** Sequence number of the chain head signed. */
  seq: number;
  /** That event's hash. */
  hash: string;
  /** When it was signed, ISO 8601 with milliseconds, UTC. */
  at: string;
  /** The tenant's previous checkpoint, or null for its first. */
  prev: string | null;
}

export interface BundleHeaderLine {
  type: 'header';
  format: typeof AUDIT_BUNDLE_FORMAT;
  tenantId: string;
  /** The period asked for (null: open on that side). */
  from: string | null;
  to: string | null;
  /** The hash before firstSeq: 64 zeros when the period starts at seq 1; null when the period has no events. */
  prevHash: string | null;
  firstSeq: number | null;
  lastSeq: number | null;
  generatedAt: string;
}

/** What the chain hash covers: everything an auditor needs to trust about an event. */
export interface ChainedEventBody {
  tenantId: string;
  seq: number;
  occurredAt: string;
  action: string;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  requestId: string | null;
  data: Record<string, unknown>;
}

/** An event exactly as the chain hashes it, with its place in the chain. */
export interface BundleEventLine extends ChainedEventBody {
  type: 'event';
  prevHash: string;
  hash: string;
}

export interface BundleCheckpointLine {
  type: 'checkpoint';
  id: string;
  seq: number;
  hash: string;
  at: string;
  prev: string | null;
  /** Compact JWS (ES256) over the CheckpointPayload, header `kid` naming the key. */
  jws: string;
}

export interface BundleJwksLine extends Jwks {
  type: 'jwks';
}

export type BundleLine = BundleHeaderLine | BundleEventLine | BundleCheckpointLine | BundleJwksLine;
