import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/**
 * Feeds a bundle on disk to `line`, one line at a time without its newline (CRLF too), reading it in
 * 1 MiB chunks: a million events never sit in memory, and splitting a chunk here costs a fraction
 * of what readline's per-line events do.
 */
export async function readBundleLines(path: string, line: (text: string) => void): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const emit = (text: string): void => line(text.endsWith('\r') ? text.slice(0, -1) : text);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      emit(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest) emit(rest);
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
