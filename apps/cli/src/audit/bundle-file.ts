import { open, readFile } from 'node:fs/promises';

/** Bytes read from a bundle at a time; each chunk is this and the end of a line cut off before it. */
export const CHUNK_BYTES = 4 << 20;

/**
 * A bundle on disk as chunks of whole lines: each ends with a newline (only the file's last may
 * not) and owns its memory, so it can be handed to another thread and back without copying. A line
 * longer than a chunk makes the next read bigger rather than being cut.
 */
export async function* bundleChunks(path: string, size = CHUNK_BYTES): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  try {
    let carry = Buffer.alloc(0);
    for (;;) {
      const want = Math.max(size, carry.length);
      // Unpooled: a pooled buffer's memory is shared with others and cannot be transferred.
      const chunk = Buffer.allocUnsafeSlow(carry.length + want);
      carry.copy(chunk, 0);
      const { bytesRead } = await file.read(chunk, carry.length, want, null);
      const filled = carry.length + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) yield chunk.subarray(0, filled);
        return;
      }
      const cut = chunk.lastIndexOf(10, filled - 1);
      carry = Buffer.from(chunk.subarray(cut + 1, filled));
      if (cut !== -1) yield chunk.subarray(0, cut + 1);
    }
  } finally {
    await file.close();
  }
}

/**
 * Each line of a chunk without its newline (CRLF too); a last line without a newline counts, the
 * nothing after a final newline does not.
 */
export function forEachLine(chunk: Uint8Array, line: (text: string) => void): void {
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('utf8');
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    line(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
    start = end + 1;
  }
}

/** A JWKS the auditor trusts, e.g. saved from GET /v1/tenants/current/jwks.json. */
export async function readJwksFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${path} is not JSON`);
  }
}
