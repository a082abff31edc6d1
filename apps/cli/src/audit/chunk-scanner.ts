import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { scanEventRun, type EventRun } from './event-run';

export interface ScannedChunk {
  chunk: Uint8Array;
  run: EventRun;
}

/** Finds the leading run of clean events in each chunk (event-run.ts), on this thread or others. */
export interface ChunkScanner {
  /** How many chunks it works on at once. */
  readonly parallelism: number;
  scan(chunk: Uint8Array): Promise<ScannedChunk>;
  close(): Promise<void>;
}

/** Scans on the calling thread. */
export function inlineScanner(): ChunkScanner {
  return {
    parallelism: 1,
    scan: (chunk) => Promise.resolve({ chunk, run: scanEventRun(chunk) }),
    close: () => Promise.resolve(),
  };
}

/**
 * Scans on `threads` worker threads (scan-worker.js beside this file, as built into dist/), chunks
 * handed round in turn and transferred, not copied, both ways.
 */
export function threadScanner(threads: number): ChunkScanner {
  const workers = Array.from({ length: threads }, () => new Worker(join(__dirname, 'scan-worker.js')));
  const waiting = new Map<number, { resolve: (scanned: ScannedChunk) => void; reject: (error: Error) => void }>();
  let next = 0;
  const failAll = (error: Error): void => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  for (const worker of workers) {
    worker.on('message', (message: ScannedChunk & { id: number }) => {
      waiting.get(message.id)?.resolve({ chunk: message.chunk, run: message.run });
      waiting.delete(message.id);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (waiting.size > 0) failAll(new Error(`a verification thread stopped (exit code ${code})`));
    });
  }
  return {
    parallelism: threads,
    scan(chunk) {
      const id = next++;
      return new Promise<ScannedChunk>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        workers[id % threads]!.postMessage({ id, chunk }, [chunk.buffer as ArrayBuffer]);
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
