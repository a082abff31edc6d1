import { AUDIT_BUNDLE_FORMAT, type BundleHeaderLine, type Jwks } from '@custos/contracts';
import { GENESIS_HASH, chainHash } from '@custos/domain';
import { EVENT_PREFIX, HEX64, eventOf, isRecord, isSeq, malformedHashes, parse } from './bundle-lines';
import {
  Broken,
  atCheckpoint,
  atSeq,
  checkBundleCheckpoints,
  checkKeptAgainstEvents,
  checkKeptCheckpoints,
  inBundle,
  refuseContradictions,
  refuseCutEnd,
  unsignedEvents,
  unsignedFailure,
  type CheckedCheckpoint,
  type KeptCheckpoint,
} from './checkpoint-checks';
import type { EventRun } from './event-run';

/**
 * Offline verification of an audit export bundle, as docs/audit-chain.md describes it: every event's
 * hash recomputed with the server's own code, sequence numbers gap-free from the header's prevHash
 * on, and every checkpoint's signature checked with a JWKS (the bundle's own, or one the auditor
 * trusts) against the event it names.
 *
 * One pass over the lines: checkpoints and keys come after the events, so each event's hash is kept
 * (32 bytes, not the event) until they are read, and the verdict is the failure that comes first in
 * sequence order, as if the checkpoints had been known from the start. Runs of events already
 * checked elsewhere (another thread, see event-run.ts) are taken whole when they continue the chain
 * exactly where it stands; anything else is read line by line here.
 *
 * A signature is what authenticates events: a bundle whose events are not all covered by a signed
 * checkpoint fails unless the auditor accepts that (allowUnsigned), and the checkpoints, the bundle's
 * and those kept from elsewhere, must not show the chain cut back (checkpoint-checks.ts).
 */

export type BundleVerdict =
  | {
      ok: true;
      events: number;
      checkpoints: number;
      /** Checkpoints from --checkpoints the bundle agrees with. */
      kept: number;
      /** Events no signed checkpoint covers, accepted with allowUnsigned. */
      unsigned: { from: number; to: number } | null;
    }
  | { ok: false; failure: string };

export interface VerifyOptions {
  /** A JWKS to check signatures with instead of the bundle's own. */
  jwks?: unknown;
  /** Accept events no signed checkpoint covers (saying so) rather than fail. */
  allowUnsigned?: boolean;
  /** Checkpoints the auditor kept from elsewhere (an earlier bundle, webhook payloads). */
  kept?: readonly KeptCheckpoint[];
}

/** A fault in the bundle's layout (its header, a second JWKS): it outranks every other. */
class LayoutFault extends Broken {}

/** Verifies the lines of a bundle (each without its newline), from a file or from memory. */
export async function verifyBundle(lines: AsyncIterable<string> | Iterable<string>, options: VerifyOptions = {}): Promise<BundleVerdict> {
  const verifier = new BundleVerifier(options);
  for await (const text of lines) verifier.line(text);
  return verifier.verdict();
}

/** Fed a bundle line by line (synchronously: a million lines make per-line promises count), then asked for its verdict. */
export class BundleVerifier {
  private number = 0;
  private header: BundleHeaderLine | undefined;
  private layoutFault: Broken | undefined;
  private readonly checkpointLines: Array<{ line: number; value: unknown }> = [];
  private jwks: unknown;
  private readonly hashes = new HashLog();
  // The event walk: the next seq expected, the hash it must link to, and the first failure met.
  private expected = 1;
  private prevHash = GENESIS_HASH;
  private events = 0;
  private eventsOver = false;
  private walkFault: Broken | undefined;

  constructor(private readonly options: VerifyOptions = {}) {}

  line(text: string): void {
    this.number++;
    if (this.layoutFault) return;
    try {
      if (this.number === 1) this.begin(text);
      else if (this.walkFault) this.trailing(text);
      else this.walk(text);
    } catch (error) {
      if (!(error instanceof Broken)) throw error;
      if (this.number === 1 || error instanceof LayoutFault) this.layoutFault = error;
      else this.walkFault = error;
    }
  }

  /** Still walking the events: no fault found yet, so runs of clean events may still be taken. */
  get walking(): boolean {
    return this.number === 0 || (this.header !== undefined && !this.layoutFault && !this.walkFault);
  }

  /**
   * Takes a run of lines another thread found to be consecutive, linked events with matching hashes,
   * if it continues the walk exactly: the next seq, linked to the current hash, of the header's tenant,
   * within the period, with no checkpoint read yet. Otherwise answers false and its lines must be fed.
   */
  acceptRun(run: EventRun): boolean {
    const header = this.header;
    const lastSeq = header?.lastSeq ?? null;
    const continues =
      header !== undefined && this.number > 0 && !this.layoutFault && !this.walkFault && !this.eventsOver &&
      lastSeq !== null && run.lines > 0 && run.firstSeq === this.expected && run.firstPrevHash === this.prevHash &&
      run.tenantId === header.tenantId && run.firstSeq + run.lines - 1 <= lastSeq;
    if (!continues) return false;
    this.hashes.setMany(run.firstSeq - (header.firstSeq ?? 1), run.hashes);
    this.number += run.lines;
    this.events += run.lines;
    this.expected += run.lines;
    this.prevHash = run.lastHash;
    return true;
  }

  async verdict(): Promise<BundleVerdict> {
    try {
      if (!this.header) throw this.layoutFault ?? inBundle('is empty');
      if (this.layoutFault) throw this.layoutFault;
      return await this.conclude(this.header);
    } catch (error) {
      if (error instanceof Broken) return { ok: false, failure: error.message };
      throw error;
    }
  }

  private begin(text: string): void {
    this.header = headerOf(parse(text));
    this.expected = this.header.firstSeq ?? 1;
    this.prevHash = this.header.prevHash ?? GENESIS_HASH;
  }

  /** A checkpoint or the JWKS, wherever it stands; anything else is left to the walk. */
  private collect(value: unknown): boolean {
    if (!isRecord(value)) return false;
    if (value.type === 'checkpoint') {
      this.checkpointLines.push({ line: this.number, value });
      return true;
    }
    if (value.type === 'jwks') {
      if (this.jwks !== undefined) throw new LayoutFault(`bundle: line ${this.number} is a second JWKS`);
      this.jwks = value;
      return true;
    }
    return false;
  }

  /** After the walk failed: only checkpoints and keys are still wanted (they may name an earlier seq). */
  private trailing(text: string): void {
    if (!text.startsWith(EVENT_PREFIX)) this.collect(parse(text));
  }

  private walk(text: string): void {
    const { lastSeq, firstSeq, tenantId } = this.header!;
    const value = parse(text);
    if (this.collect(value)) {
      this.eventsOver = true;
      return;
    }
    const type = isRecord(value) ? value.type : undefined;
    const expected = this.expected;
    // Everything else stands where the events are, or belongs there.
    if (this.eventsOver || lastSeq === null || expected > lastSeq) {
      if (type !== 'event') throw inBundle(`line ${this.number} is ${value === undefined ? 'not valid JSON' : 'not a bundle line'}`);
      if (lastSeq === null) throw inBundle(`line ${this.number} is an event, but the header says the period has none`);
      if (this.eventsOver && expected <= lastSeq) throw atSeq(expected, `missing (line ${this.number}, an event, comes after the checkpoints)`);
      throw inBundle(`line ${this.number} is an event past the header's lastSeq ${lastSeq}`);
    }
    if (value === undefined) throw atSeq(expected, `line ${this.number} is not valid JSON`);
    const event = eventOf(value);
    if (typeof event === 'string') throw atSeq(expected, `line ${this.number}: ${event}`);
    const hash = chainHash(event.prevHash, event);
    // A prevHash equal to the one before and a hash equal to the digest are hex already; only a mismatch is looked at closer.
    const malformed = malformedHashes(event, event.prevHash === this.prevHash, hash === event.hash);
    if (malformed) throw atSeq(expected, `line ${this.number}: ${malformed} missing or malformed`);
    if (event.seq > expected) throw atSeq(expected, `missing (expected ${expected}, found ${event.seq})`);
    if (event.seq < expected) throw atSeq(expected, `out of order (expected ${expected}, found ${event.seq})`);
    if (event.tenantId !== tenantId) throw atSeq(expected, `belongs to tenant ${event.tenantId}, not ${tenantId}`);
    if (event.prevHash !== this.prevHash) throw atSeq(expected, `prevHash does not link to ${expected === firstSeq ? "the header's prevHash" : `seq ${expected - 1}`}`);
    if (hash !== event.hash) throw atSeq(expected, 'hash does not match its content');
    this.hashes.set(expected - (firstSeq ?? 1), event.hash);
    this.prevHash = event.hash;
    this.expected = expected + 1;
    this.events++;
  }

  /**
   * The first failure in sequence order: checkpoints before the period, then the walk with the
   * checkpoints it passed, then those after. Then what the checkpoints prove as a whole: none signed
   * beyond an end they contradict, none kept from elsewhere that disagrees, and every event covered.
   */
  private async conclude(header: BundleHeaderLine): Promise<BundleVerdict> {
    const jwks = trustedJwks(this.options.jwks, this.jwks);
    const checkpoints = await checkBundleCheckpoints(header, this.checkpointLines, jwks);
    const { firstSeq, lastSeq } = header;
    const inPeriod = (c: CheckedCheckpoint) => firstSeq !== null && lastSeq !== null && c.seq >= firstSeq && c.seq <= lastSeq;
    failFirst(checkpoints.filter((c) => !inPeriod(c) && firstSeq !== null && c.seq < firstSeq));
    // Every event before `expected` verified; the checkpoints among them are checked against their hashes.
    for (const checkpoint of checkpoints.filter((c) => inPeriod(c) && c.seq < this.expected)) {
      if (checkpoint.problem) throw atCheckpoint(checkpoint.seq, checkpoint.problem);
      const hash = this.hashes.get(checkpoint.seq - firstSeq!);
      if (checkpoint.hash !== hash) throw atCheckpoint(checkpoint.seq, `signs hash ${checkpoint.hash}, but event ${checkpoint.seq} has ${hash}`);
    }
    if (this.walkFault) throw this.walkFault;
    if (lastSeq !== null && this.expected <= lastSeq) {
      throw atSeq(this.expected, `missing (the header says the period ends at ${lastSeq}, the bundle ends before it)`);
    }
    failFirst(checkpoints.filter((c) => !inPeriod(c) && !(firstSeq !== null && c.seq < firstSeq)));
    // Last: a bundle cut short is better told by where its events stop.
    if (typeof jwks === 'string') throw inBundle(jwks);
    refuseCutEnd(header, checkpoints);
    const kept = await checkKeptCheckpoints(header, this.options.kept ?? [], jwks);
    checkKeptAgainstEvents(header, kept, (seq) => this.hashes.get(seq - firstSeq!));
    refuseContradictions(checkpoints, kept);
    refuseCutEnd(header, kept);
    const unsigned = unsignedEvents(header, [...checkpoints, ...kept]);
    if (unsigned && !this.options.allowUnsigned) throw unsignedFailure(unsigned, firstSeq!);
    return { ok: true, events: this.events, checkpoints: checkpoints.length, kept: kept.length, unsigned };
  }
}

/** The hash of every event walked, by its place in the period: 32 bytes each, in 1 MiB slabs. */
class HashLog {
  private static readonly PER_SLAB = 32_768;
  private readonly slabs: Buffer[] = [];

  set(index: number, hex: string): void {
    const slab = Math.floor(index / HashLog.PER_SLAB);
    this.slabs[slab] ??= Buffer.allocUnsafe(HashLog.PER_SLAB * 32);
    this.slabs[slab].write(hex, (index % HashLog.PER_SLAB) * 32, 32, 'hex');
  }

  /** Consecutive hashes from `index` on, 32 bytes each. */
  setMany(index: number, hashes: Uint8Array): void {
    for (let done = 0; done < hashes.length; ) {
      const at = index + done / 32;
      const slab = Math.floor(at / HashLog.PER_SLAB);
      this.slabs[slab] ??= Buffer.allocUnsafe(HashLog.PER_SLAB * 32);
      done += Buffer.from(hashes.buffer, hashes.byteOffset + done, hashes.length - done).copy(this.slabs[slab], (at % HashLog.PER_SLAB) * 32);
    }
  }

  get(index: number): string | undefined {
    const slab = this.slabs[Math.floor(index / HashLog.PER_SLAB)];
    const at = (index % HashLog.PER_SLAB) * 32;
    return slab?.toString('hex', at, at + 32);
  }
}

function headerOf(value: unknown): BundleHeaderLine {
  if (!isRecord(value) || value.type !== 'header') throw inBundle('line 1 is not a header');
  if (value.format !== AUDIT_BUNDLE_FORMAT) throw inBundle(`the header's format is ${JSON.stringify(value.format)}, not ${AUDIT_BUNDLE_FORMAT}`);
  const { tenantId, prevHash, firstSeq, lastSeq, from, to, generatedAt } = value;
  if (typeof tenantId !== 'string' || !tenantId) throw inBundle('the header names no tenant');
  // Whether the period is open-ended, and when the bundle was made, decide what a checkpoint beyond it means.
  if (!(from === null || isInstant(from)) || !(to === null || isInstant(to)) || !isInstant(generatedAt)) {
    throw inBundle("the header's from, to and generatedAt must be ISO 8601 instants (from and to may be null)");
  }
  const empty = firstSeq === null && lastSeq === null && prevHash === null;
  if (!empty) {
    if (!isSeq(firstSeq) || !isSeq(lastSeq) || firstSeq > lastSeq) throw inBundle('the header has no valid firstSeq..lastSeq');
    if (typeof prevHash !== 'string' || !HEX64.test(prevHash)) throw inBundle("the header's prevHash is not a SHA-256 hash");
    if (firstSeq === 1 && prevHash !== GENESIS_HASH) throw inBundle('the period starts at seq 1, so prevHash must be 64 zeros');
  }
  return value as unknown as BundleHeaderLine;
}

function isInstant(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** The keys to check signatures with, or why there are none. */
function trustedJwks(given: unknown, bundled: unknown): Jwks | string {
  const jwks = given ?? bundled;
  if (jwks === undefined) return 'has no JWKS line and no JWKS was given';
  if (!isRecord(jwks) || !Array.isArray(jwks.keys)) return `the ${given ? 'given' : "bundle's"} JWKS has no keys array`;
  return { keys: jwks.keys as Jwks['keys'] };
}

function failFirst(checkpoints: readonly CheckedCheckpoint[]): void {
  const broken = checkpoints.find((c) => c.problem);
  if (broken) throw atCheckpoint(broken.seq, broken.problem!);
}

/** The one-line answer the CLI prints. */
export function describeVerdict(verdict: BundleVerdict): string {
  if (!verdict.ok) return `FAIL ${verdict.failure}`;
  const { events, checkpoints, kept, unsigned } = verdict;
  return (
    `OK ${events} events, ${checkpoints} checkpoints` +
    (kept > 0 ? ` (and ${kept} from --checkpoints)` : '') +
    (unsigned ? `; seq ${unsigned.from}-${unsigned.to} not covered by a signed checkpoint (--allow-unsigned)` : '')
  );
}
