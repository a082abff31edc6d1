import { parentPort } from 'node:worker_threads';
import { scanEventRun } from './event-run';

/** A verification thread (chunk-scanner.ts): scans each chunk it is given and hands it back with its run. */
const port = parentPort;
if (!port) throw new Error('scan-worker runs as a worker thread');
port.on('message', ({ id, chunk }: { id: number; chunk: Uint8Array }) => {
  const run = scanEventRun(chunk);
  port.postMessage({ id, chunk, run }, [chunk.buffer as ArrayBuffer, run.hashes.buffer as ArrayBuffer]);
});
