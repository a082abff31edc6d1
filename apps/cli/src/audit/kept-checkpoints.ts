import { readFile, stat } from 'node:fs/promises';
import { bundleChunks, forEachLine } from './bundle-file';
import { isRecord, parse } from './bundle-lines';
import type { KeptCheckpoint } from './checkpoint-checks';

/** A compact JWS: three base64url parts. What a checkpoint is, whatever it was saved in. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** A file that is one JSON document (not JSON lines) is read whole up to this size. */
const WHOLE_DOCUMENT_BYTES = 64 << 20;
/** How deep a saved document is searched for `jws` members. */
const MAX_DEPTH = 8;

/**
 * The checkpoints in a file an auditor kept, as their JWS (which signs everything a checkpoint says):
 * an earlier bundle (its checkpoint lines), saved webhook payloads (`audit.checkpoint_signed`, one a
 * line or a JSON array), the answer of GET /v1/audit-events/checkpoints or POST …/checkpoints, or bare
 * compact JWS, one a line. Every `jws` member, however deep, counts. The file is read a line at a
 * time, so an earlier bundle of any size will do.
 */
export async function readKeptCheckpoints(path: string): Promise<KeptCheckpoint[]> {
  const found: KeptCheckpoint[] = [];
  // JSON lines start with a whole document; a pretty-printed one does not.
  let firstLine: string | undefined;
  let number = 0;
  for await (const chunk of bundleChunks(path)) {
    forEachLine(chunk, (text) => {
      number++;
      const line = text.trim();
      if (line) firstLine ??= line;
      if (COMPACT_JWS.test(line)) found.push({ jws: line, source: `${path} line ${number}` });
      else if (line.includes('"jws"')) collectJws(parse(line), `${path} line ${number}`, found);
    });
  }
  const unreadable = firstLine !== undefined && !COMPACT_JWS.test(firstLine) && parse(firstLine) === undefined;
  // A document written over several lines (pretty-printed JSON): read whole.
  if (found.length === 0 && unreadable && (await stat(path)).size <= WHOLE_DOCUMENT_BYTES) {
    const value = parse(await readFile(path, 'utf8'));
    if (value !== undefined) collectJws(value, path, found);
  }
  if (found.length === 0) throw new Error(`${path} holds no checkpoint (no compact JWS, and no "jws" member in its JSON)`);
  return found;
}

function collectJws(value: unknown, source: string, into: KeptCheckpoint[], depth = 0): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((item) => collectJws(item, source, into, depth + 1));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, member] of Object.entries(value)) {
    if (key === 'jws' && typeof member === 'string' && COMPACT_JWS.test(member)) into.push({ jws: member, source });
    else collectJws(member, source, into, depth + 1);
  }
}
