import { CHECKPOINT_JWS_TYPE, type BundleCheckpointLine, type BundleHeaderLine, type Jwks } from '@custos/contracts';
import { verifyJws } from '@custos/crypto';
import { checkpointSignatureProblem, parseCheckpointPayload } from '@custos/domain';
import { checkpointOf } from './bundle-lines';

/**
 * What a bundle's checkpoints, and those an auditor kept from elsewhere (--checkpoints), prove about
 * its events (docs/audit-chain.md#verifying-a-bundle). Everything here is per checkpoint, never per
 * event: the events' hashes are looked up, not recomputed.
 */

/** A failure found in the bundle: the verdict's message, after "FAIL ". */
export class Broken extends Error {}
export const atSeq = (seq: number, why: string): Broken => new Broken(`seq ${seq}: ${why}`);
export const atCheckpoint = (seq: number, why: string): Broken => new Broken(`checkpoint at seq ${seq}: ${why}`);
export const inBundle = (why: string): Broken => new Broken(`bundle: ${why}`);

/** A checkpoint whose fields are known: a bundle line as it reads, or a kept one as its JWS signed it. */
export interface CheckedCheckpoint {
  id: string;
  seq: number;
  hash: string;
  at: string;
  /** Kept by the auditor (--checkpoints), not in the bundle. */
  kept: boolean;
  /** Why it fails, if it does, before its event is even looked at (bundle lines only). */
  problem: string | null;
}

/** A checkpoint's id, saying when the auditor brought it: inside parentheses, and in a sentence. */
const named = (c: CheckedCheckpoint): string => `${c.id}${c.kept ? ', from --checkpoints' : ''}`;
const label = (c: CheckedCheckpoint): string => `${c.id}${c.kept ? ' (from --checkpoints)' : ''}`;

/** A checkpoint JWS an auditor kept, and where it was found (for messages). */
export interface KeptCheckpoint {
  jws: string;
  source: string;
}

/** The bundle's checkpoint lines, in order: signatures, payloads and the links between consecutive ones. */
export async function checkBundleCheckpoints(
  header: BundleHeaderLine,
  lines: ReadonlyArray<{ line: number; value: unknown }>,
  jwks: Jwks | string,
): Promise<CheckedCheckpoint[]> {
  const checked: CheckedCheckpoint[] = [];
  let previous: BundleCheckpointLine | undefined;
  for (const { line, value } of lines) {
    const shape = checkpointOf(value);
    if (typeof shape === 'string') throw inBundle(`line ${line}: ${shape}`);
    if (previous && shape.seq <= previous.seq) throw atCheckpoint(shape.seq, `out of order (follows the checkpoint at seq ${previous.seq})`);
    const { id, seq, hash, at, prev, jws } = shape;
    let problem =
      typeof jwks === 'string'
        ? `cannot be checked: the bundle ${jwks}`
        : checkpointSignatureProblem(await verifyJws(jws, jwks, CHECKPOINT_JWS_TYPE), { id, tenantId: header.tenantId, seq, hash, at, prev }, "the bundle's");
    if (!problem && previous && prev !== previous.id) problem = `prev names ${String(prev)}, but the checkpoint before it is ${previous.id}`;
    checked.push({ id, seq, hash, at, kept: false, problem });
    previous = shape;
  }
  return checked;
}

/** The checkpoints an auditor kept, each as its JWS signed it: of the bundle's tenant, verified with the trusted keys. */
export async function checkKeptCheckpoints(header: BundleHeaderLine, kept: readonly KeptCheckpoint[], jwks: Jwks): Promise<CheckedCheckpoint[]> {
  const byId = new Map<string, CheckedCheckpoint>();
  for (const { jws, source } of kept) {
    const verified = await verifyJws(jws, jwks, CHECKPOINT_JWS_TYPE);
    if (!verified.valid) throw new Broken(`checkpoint from --checkpoints (${source}): ${verified.reason}`);
    const payload = parseCheckpointPayload(verified.payload);
    if (!payload) throw new Broken(`checkpoint from --checkpoints (${source}): its signed payload is not a checkpoint`);
    if (payload.tenantId !== header.tenantId) {
      throw new Broken(`checkpoint ${payload.id} from --checkpoints (${source}) is of tenant ${payload.tenantId}, not the bundle's ${header.tenantId}`);
    }
    byId.set(payload.id, { id: payload.id, seq: payload.seq, hash: payload.hash, at: payload.at, kept: true, problem: null });
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** A kept checkpoint over an event of the bundle must sign that event's hash. */
export function checkKeptAgainstEvents(header: BundleHeaderLine, kept: readonly CheckedCheckpoint[], hashAt: (seq: number) => string | undefined): void {
  const { firstSeq, lastSeq } = header;
  if (firstSeq === null || lastSeq === null) return;
  for (const k of kept.filter((c) => c.seq >= firstSeq && c.seq <= lastSeq)) {
    const hash = hashAt(k.seq);
    if (k.hash !== hash) throw new Broken(`checkpoint at seq ${k.seq} (${named(k)}): signs hash ${k.hash}, but event ${k.seq} has ${hash}`);
  }
}

/**
 * A chain only grows, so of two checkpoints the later signed has the higher seq. A pair that says
 * otherwise proves events were cut and the chain signed again. Pairs within the bundle are already
 * held by their signed prev links; here a kept checkpoint is one of the two (their `at` come from the
 * servers' clocks, which must agree to within the time between two checkpoints).
 */
export function refuseContradictions(bundle: readonly CheckedCheckpoint[], kept: readonly CheckedCheckpoint[]): void {
  if (kept.length === 0) return;
  const all = [...bundle, ...kept].sort((a, b) => a.seq - b.seq || Number(a.kept) - Number(b.kept));
  let latestSigned: CheckedCheckpoint | undefined;
  let latestSignedKept: CheckedCheckpoint | undefined;
  for (let i = 0; i < all.length; ) {
    const group = takeSameSeq(all, i);
    const twin = group.find((c) => c.id !== group[0]!.id);
    if (twin) throw atCheckpoint(twin.seq, `${label(group[0]!)} and ${label(twin)} both sign it: the chain was rewritten`);
    for (const c of group) {
      const before = c.kept ? latestSigned : latestSignedKept;
      if (before && Date.parse(before.at) > Date.parse(c.at)) throw cutBack(before, c);
    }
    for (const c of group) {
      if (!latestSigned || Date.parse(c.at) > Date.parse(latestSigned.at)) latestSigned = c;
      if (c.kept && (!latestSignedKept || Date.parse(c.at) > Date.parse(latestSignedKept.at))) latestSignedKept = c;
    }
    i += group.length;
  }
}

function takeSameSeq(sorted: readonly CheckedCheckpoint[], from: number): CheckedCheckpoint[] {
  let to = from + 1;
  while (to < sorted.length && sorted[to]!.seq === sorted[from]!.seq) to++;
  return sorted.slice(from, to);
}

/** `later` signs a lower seq than `earlier` did before it. */
function cutBack(later: CheckedCheckpoint, earlier: CheckedCheckpoint): Broken {
  return new Broken(
    `checkpoint at seq ${later.seq} (${named(later)}) was signed at ${later.at}, after checkpoint ${label(earlier)} ` +
      `had signed seq ${earlier.seq} at ${earlier.at}: the chain was cut back and signed again in between`,
  );
}

/**
 * A checkpoint beyond the bundle's last event, signed when that event should have been in it: the
 * chain had reached its seq, so events were cut from the end. An open-ended bundle ends at the head it
 * was made from, so any checkpoint of its own beyond its end contradicts it, and so does a kept one
 * signed before the bundle was made. A bounded one must hold every event before `to`, so a checkpoint
 * of its own beyond its end signed before `to` contradicts it.
 */
export function refuseCutEnd(header: BundleHeaderLine, checkpoints: readonly CheckedCheckpoint[]): void {
  const { lastSeq, to, generatedAt } = header;
  if (lastSeq === null) return;
  for (const c of checkpoints.filter((x) => x.seq > lastSeq)) {
    const cut = `bundle: ends at seq ${lastSeq}, but checkpoint ${label(c)} signed seq ${c.seq}`;
    if (!c.kept && to === null) throw new Broken(`${cut}: events were cut from the end of the chain`);
    if (!c.kept && to !== null && Date.parse(c.at) < Date.parse(to)) {
      throw new Broken(`${cut} at ${c.at}, before the period's end ${to}: events were cut from the end of the period`);
    }
    if (c.kept && to === null && Date.parse(c.at) < Date.parse(generatedAt)) {
      throw new Broken(`${cut} at ${c.at}, before the bundle was made (${generatedAt}): events were cut from the end of the chain`);
    }
  }
}

/**
 * The events no signed checkpoint authenticates: those after the last checkpoint over an event of the
 * bundle (its own or a kept one), all of them when there is none. Null when the last event is signed.
 */
export function unsignedEvents(header: BundleHeaderLine, checkpoints: readonly CheckedCheckpoint[]): { from: number; to: number } | null {
  const { firstSeq, lastSeq } = header;
  if (firstSeq === null || lastSeq === null) return null;
  const covered = Math.max(firstSeq - 1, ...checkpoints.filter((c) => c.seq >= firstSeq && c.seq <= lastSeq).map((c) => c.seq));
  return covered < lastSeq ? { from: covered + 1, to: lastSeq } : null;
}

/** Why unsigned events fail the bundle, unless the auditor accepts them. */
export function unsignedFailure(unsigned: { from: number; to: number }, firstSeq: number): Broken {
  const accept = 'pass --allow-unsigned to accept them unauthenticated';
  if (unsigned.from === firstSeq) {
    return inBundle(`has no signed checkpoint over its events, so nothing authenticates them (seq ${unsigned.from}-${unsigned.to}); ${accept}`);
  }
  return inBundle(`seq ${unsigned.from}-${unsigned.to} come after its last signed checkpoint (seq ${unsigned.from - 1}), so nothing authenticates them; ${accept}`);
}

