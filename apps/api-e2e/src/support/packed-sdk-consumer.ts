import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { VerifierMetrics, VerifyCode } from '@custos/node';

const SCRIPT = 'packed-sdk-consumer-script.mjs';
const STOP_WAIT_MS = 5_000;

export interface VerifyLine {
  code: VerifyCode;
  valid: boolean;
  cached: boolean;
  /** How long the verify took, as the service saw it. */
  ms: number;
}

export interface WatchOutcome {
  /** The wall-clock time of the first refusal (performance.timeOrigin + now()), or null when none came. */
  refusedAt: number | null;
  code: VerifyCode;
  cached: boolean;
  /** VALID answers before the refusal, the first included, and how many of them came from cache. */
  valid: number;
  validCached: number;
}

export type ConsumerCommand =
  | { do: 'verify'; token: string; times: number; scopes?: string[] }
  | { do: 'watch'; token: string }
  | { do: 'watched' }
  | { do: 'feed'; connected: boolean }
  | { do: 'cut' }
  | { do: 'restore' }
  | { do: 'close' };

interface Replies {
  verify: { results: VerifyLine[] };
  watch: { first: VerifyLine };
  watched: WatchOutcome;
  feed: object;
  cut: object;
  restore: object;
  close: object;
}

export type ConsumerReply<C extends ConsumerCommand> = Replies[C['do']] & { metrics: VerifierMetrics };

interface Waiting {
  resolve(line: string): void;
  reject(error: Error): void;
}

/**
 * A service built on the packed SDK, in a process of its own (support/packed-sdk-consumer-script.mjs run from a
 * project that installed the tarball), driven one command at a time.
 */
export class PackedSdkConsumer {
  private readonly waiting: Waiting[] = [];
  private stderr = '';
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-16_000)));
    createInterface({ input: child.stdout }).on('line', (line) => this.waiting.shift()?.resolve(line));
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        for (const waiting of this.waiting.splice(0)) waiting.reject(new Error(`the consumer exited (${code ?? signal}):\n${this.stderr}`));
        done();
      }),
    );
  }

  /** Copies the consumer script into `project` (where `@custos/node` is installed) and starts it there. */
  static start(project: string, custos: { url: string; serviceKey: string }): PackedSdkConsumer {
    copyFileSync(join(__dirname, SCRIPT), join(project, SCRIPT));
    // A service's environment: nothing of the test run's own (no NODE_OPTIONS, no jest variables).
    const env = { PATH: process.env.PATH ?? '', CUSTOS_URL: custos.url, CUSTOS_SERVICE_KEY: custos.serviceKey };
    return new PackedSdkConsumer(spawn(process.execPath, [SCRIPT], { cwd: project, env, stdio: 'pipe' }));
  }

  async ask<C extends ConsumerCommand>(command: C): Promise<ConsumerReply<C>> {
    const line = new Promise<string>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    const reply = JSON.parse(await line) as ConsumerReply<C> | { error: string };
    if ('error' in reply) throw new Error(`the consumer failed on ${command.do}: ${reply.error}`);
    return reply;
  }

  /** Ends its input (it closes its verifier and exits); kills it if it does not. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_WAIT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
