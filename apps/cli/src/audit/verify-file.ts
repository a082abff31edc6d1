import { bundleChunks, forEachLine, CHUNK_BYTES } from './bundle-file';
import { BundleVerifier, type BundleVerdict, type VerifyOptions } from './bundle-verifier';
import type { ChunkScanner, ScannedChunk } from './chunk-scanner';

export interface FileVerifyOptions extends VerifyOptions {
  scanner: ChunkScanner;
  chunkBytes?: number;
}

/**
 * Verifies a bundle file: its chunks are scanned for runs of clean events side by side (as many as
 * the scanner works on, twice over so no thread waits), and taken by the verifier in file order.
 * Whatever a run does not cover is read line by line, so the verdict is the sequential one.
 */
export async function verifyBundleFile(path: string, options: FileVerifyOptions): Promise<BundleVerdict> {
  const { scanner, chunkBytes = CHUNK_BYTES, ...verifyOptions } = options;
  const verifier = new BundleVerifier(verifyOptions);
  const feed = (lines: Uint8Array): void => forEachLine(lines, (line) => verifier.line(line));
  const take = ({ chunk, run }: ScannedChunk): void => {
    if (verifier.acceptRun(run)) feed(chunk.subarray(run.restOffset));
    else feed(chunk);
  };
  const inFlight: Array<Promise<ScannedChunk>> = [];
  try {
    for await (const chunk of bundleChunks(path, chunkBytes)) {
      // Once a fault is found only checkpoints and keys are still read: hashing the rest would be wasted.
      if (!verifier.walking) {
        for (const scanned of inFlight.splice(0)) take(await scanned);
        feed(chunk);
        continue;
      }
      const scanned = scanner.scan(chunk);
      scanned.catch(() => undefined); // awaited in order below; a failure surfaces there
      inFlight.push(scanned);
      if (inFlight.length >= scanner.parallelism * 2) take(await inFlight.shift()!);
    }
    for (const scanned of inFlight.splice(0)) take(await scanned);
  } finally {
    await scanner.close();
  }
  return verifier.verdict();
}
