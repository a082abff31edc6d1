import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleChunks, forEachLine } from './bundle-file';

describe('reading a bundle file in chunks of whole lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custos-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function linesOf(content: string | Buffer, chunkBytes?: number): Promise<string[]> {
    const path = join(dir, `b${Math.random().toString(36).slice(2)}.jsonl`);
    writeFileSync(path, content);
    const lines: string[] = [];
    const memory = new Set<ArrayBufferLike>();
    for await (const chunk of bundleChunks(path, chunkBytes)) {
      // Each chunk is handed to another thread as a transfer: it must own its memory, shared with no other.
      expect(chunk.byteOffset).toBe(0);
      expect(memory.has(chunk.buffer)).toBe(false);
      memory.add(chunk.buffer);
      forEachLine(chunk, (line) => lines.push(line));
    }
    return lines;
  }

  it('gives each line without its newline, CRLF included, and a last line without one', async () => {
    expect(await linesOf('{"a":1}\n{"b":2}\r\n\n{"c":3}')).toEqual(['{"a":1}', '{"b":2}', '', '{"c":3}']);
    expect(await linesOf('{"a":1}\n')).toEqual(['{"a":1}']);
    expect(await linesOf('')).toEqual([]);
  });

  it('keeps lines and multi-byte characters whole across its reads, lines longer than a read included', async () => {
    // Lines of 3-byte and 4-byte characters so that reads end inside a character and inside a line.
    const lines = Array.from({ length: 900 }, (_, i) => `{"n":${i},"s":"${(i % 2 ? '€' : '𝄞').repeat(700 + i)}"}`);
    expect(await linesOf(lines.join('\n'))).toEqual(lines);
    expect(await linesOf(`${lines.slice(0, 50).join('\r\n')}\n`, 1000)).toEqual(lines.slice(0, 50));
  });
});
