import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { REPORT_JWS_TYPE, type Jwks } from '@custos/contracts';
import { verifyDetachedJws } from '@custos/crypto';

/**
 * Offline check of a downloaded compliance report (docs/compliance.md, "Signatures and how to check
 * one"): the file's SHA-256 is what the detached JWS signs, with a key of the tenant's JWKS.
 */
export type ReportVerdict = { ok: true; sha256: string; kid: string } | { ok: false; failure: string };

/** The signature as saved: the compact JWS itself, or GET /v1/reports/:id/signature's JSON. */
export function signatureOf(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const body = JSON.parse(trimmed) as { jws?: unknown };
    return typeof body.jws === 'string' ? body.jws : null;
  } catch {
    return null;
  }
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function verifyReport(sha256: string, signature: string | null, jwks: unknown): Promise<ReportVerdict> {
  if (!signature) return { ok: false, failure: 'the signature file holds neither a compact JWS nor {"jws": ...}' };
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as { keys?: unknown }).keys)) {
    return { ok: false, failure: 'the JWKS has no keys array' };
  }
  const check = await verifyDetachedJws(signature, sha256, jwks as Jwks, REPORT_JWS_TYPE);
  return check.valid ? { ok: true, sha256, kid: check.kid } : { ok: false, failure: `the file's sha256 ${sha256}: ${check.reason}` };
}

export function describeReportVerdict(verdict: ReportVerdict): string {
  return verdict.ok ? `OK sha256 ${verdict.sha256}, signed with kid ${verdict.kid}` : `FAIL ${verdict.failure}`;
}
