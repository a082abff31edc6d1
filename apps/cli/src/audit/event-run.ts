import { chainHash } from '@custos/domain';
import { HEX64, eventOf, isRecord, parse } from './bundle-lines';

/**
 * The leading lines of a chunk of a bundle that are events forming one clean stretch of the chain:
 * consecutive seqs of one tenant, each linked to the one before and hashing to its own hash. This is
 * the part of verification that needs no knowledge of the rest of the bundle, so threads can do it
 * on chunks side by side; the verifier then takes a run whole if it continues the chain where it
 * stands (BundleVerifier.acceptRun) and reads everything else line by line.
 */
export interface EventRun {
  /** How many lines, from the chunk's first, the run covers (0: the first line is not part of one). */
  lines: number;
  firstSeq: number;
  firstPrevHash: string;
  lastHash: string;
  tenantId: string;
  /** The events' hashes, 32 bytes each, in order. */
  hashes: Uint8Array;
  /** Where in the chunk (bytes) the first line after the run begins. */
  restOffset: number;
}

/** `chunk`: whole lines of a bundle, UTF-8, each ending in \n (the file's last may not). */
export function scanEventRun(chunk: Uint8Array): EventRun {
  const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  const text = buffer.toString('utf8');
  // Unpooled: the hashes go back to the verifier's thread as a transfer, which must not take a pool with it.
  let hashBytes: Buffer = Buffer.allocUnsafeSlow(32 * Math.ceil(chunk.length / 256));
  let run: Omit<EventRun, 'hashes' | 'restOffset'> | undefined;
  let start = 0;
  let stoppedAt = text.length;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    const event = linkedEvent(line, run);
    if (!event) {
      stoppedAt = start;
      break;
    }
    if (!run) run = { lines: 0, firstSeq: event.seq, firstPrevHash: event.prevHash, lastHash: event.hash, tenantId: event.tenantId };
    if (hashBytes.length < (run.lines + 1) * 32) hashBytes = growTo(hashBytes, (run.lines + 1) * 32, run.lines * 32);
    hashBytes.write(event.hash, run.lines * 32, 32, 'hex');
    run.lines++;
    run.lastHash = event.hash;
    start = end + 1;
  }
  if (!run) return { lines: 0, firstSeq: 0, firstPrevHash: '', lastHash: '', tenantId: '', hashes: new Uint8Array(0), restOffset: 0 };
  const restOffset = stoppedAt >= text.length ? chunk.length : Buffer.byteLength(text.slice(0, stoppedAt));
  return { ...run, hashes: hashBytes.subarray(0, run.lines * 32), restOffset };
}

/** The event on this line, if it is one that extends the run (or may start one). */
function linkedEvent(line: string, run: Omit<EventRun, 'hashes' | 'restOffset'> | undefined) {
  const value = parse(line);
  if (!isRecord(value) || value.type !== 'event') return undefined;
  const event = eventOf(value);
  if (typeof event === 'string') return undefined;
  // A digest equal to the stated hash makes that hash well-formed hex too.
  if (chainHash(event.prevHash, event) !== event.hash) return undefined;
  if (!run) return HEX64.test(event.prevHash) ? event : undefined;
  const linked = event.seq === run.firstSeq + run.lines && event.prevHash === run.lastHash && event.tenantId === run.tenantId;
  return linked ? event : undefined;
}

function growTo(bytes: Buffer, needed: number, used: number): Buffer {
  const grown = Buffer.allocUnsafeSlow(Math.max(needed, bytes.length * 2));
  bytes.copy(grown, 0, 0, used);
  return grown;
}
