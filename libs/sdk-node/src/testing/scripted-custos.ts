import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VerifyCode, type VerifyCacheHint } from '@custos/contracts';
import { generateToken } from '@custos/domain/tokens/token-format';
import type { ReportedUse } from '../verifier/usage-reporter';
import type { VerifyAnswer } from '../verifier/verify-types';

export interface VerifyCall {
  token: string;
  scopes?: string[];
  context?: { ip?: string; resource?: string };
  cache?: boolean;
  authorization: string | undefined;
}

export interface ScriptedToken {
  raw: string;
  lookupId: string;
  tokenId: string;
}

/**
 * A stand-in for Custos on a real socket, scripted by each test: the verify answers, the events feed and
 * the usage reports, per the routes' contracts. Not a mock of fetch: the SDK speaks real HTTP to it.
 */
export class ScriptedCustos {
  readonly verifyCalls: VerifyCall[] = [];
  readonly usageBatches: ReportedUse[][] = [];
  /** The Last-Event-ID of each feed connection, in order (undefined on the first). */
  readonly feedConnects: (string | undefined)[] = [];
  /** Answers to the next usage reports, consumed in order; then 202. */
  usageFailures: number[] = [];
  /** Delay before each verify answer, to hold requests in flight. */
  verifyDelayMs = 0;
  /** Answers 503 to the feed while set. */
  feedRefused = false;
  private readonly server: Server;
  private readonly feeds = new Set<ServerResponse>();
  private readonly answers = new Map<string, (call: VerifyCall) => VerifyAnswer>();
  private nextEventId = 1;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** Routes a test adds, checked before the built-in ones. */
  readonly extraRoutes = new Map<string, (req: IncomingMessage, res: ServerResponse, body: string) => void>();

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<ScriptedCustos> {
    const custos = new ScriptedCustos();
    await new Promise<void>((resolve) => custos.server.listen(0, '127.0.0.1', resolve));
    return custos;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get openFeeds(): number {
    return this.feeds.size;
  }

  /** A token Custos answers VALID for, with a cache hint unless it has shared state (uses, rate limit, geofence). */
  validToken(options: { scopes?: string[]; cacheable?: boolean; allowedCidrs?: string[]; expiresAt?: string } = {}): ScriptedToken {
    const { raw, lookupId } = generateToken('test');
    const tokenId = `tok_${lookupId}`;
    const scopes = options.scopes ?? ['orders:read'];
    const expiresAt = options.expiresAt ?? new Date(Date.now() + 3_600_000).toISOString();
    const hint: VerifyCacheHint = {
      lookupId,
      scopes,
      expiresAt,
      graceEndsAt: null,
      notBefore: null,
      allowedCidrs: options.allowedCidrs ?? [],
      consent: null,
    };
    this.answers.set(raw, (call) => {
      const missing = (call.scopes ?? []).some((scope) => !scopes.includes(scope));
      if (missing) return { valid: false, code: VerifyCode.INSUFFICIENT_SCOPE, tokenId };
      return {
        valid: true,
        code: VerifyCode.VALID,
        tokenId,
        scopes,
        expiresAt,
        ...(options.cacheable === false ? { remainingUses: 10 } : { cache: hint }),
      };
    });
    return { raw, lookupId, tokenId };
  }

  /** From now on Custos answers this code for the token (e.g. after a revoke). */
  answer(token: string, code: VerifyCode, extra: Partial<VerifyAnswer> = {}): void {
    this.answers.set(token, () => ({ valid: code === VerifyCode.VALID, code, ...extra }));
  }

  sendEvent(event: string, data: unknown): void {
    const id = String(this.nextEventId++);
    for (const feed of this.feeds) feed.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Heartbeats every `ms` until stopped, as Custos sends them. */
  startHeartbeats(ms: number): void {
    this.stopHeartbeats();
    this.heartbeatTimer = setInterval(() => this.sendEvent('heartbeat', { at: new Date().toISOString() }), ms);
  }

  stopHeartbeats(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /** Cuts every feed connection, as a restarting instance or a broken network would. */
  dropFeeds(): void {
    for (const feed of this.feeds) feed.destroy();
    this.feeds.clear();
  }

  async stop(): Promise<void> {
    this.stopHeartbeats();
    this.dropFeeds();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const route = `${req.method} ${req.url}`;
    const extra = this.extraRoutes.get(route);
    if (extra) return extra(req, res, body);
    switch (route) {
      case 'POST /v1/verify':
        return this.verify(req, res, body);
      case 'GET /v1/events/stream':
        return this.openFeed(req, res);
      case 'POST /v1/usage/report':
        return this.usageReport(res, body);
      default:
        res.writeHead(404).end();
    }
  }

  private async verify(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const call = { ...(JSON.parse(body) as Omit<VerifyCall, 'authorization'>), authorization: req.headers.authorization };
    this.verifyCalls.push(call);
    if (this.verifyDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.verifyDelayMs));
    const answer = this.answers.get(call.token)?.(call) ?? { valid: false, code: VerifyCode.NOT_FOUND };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  private openFeed(req: IncomingMessage, res: ServerResponse): void {
    if (this.feedRefused) {
      res.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"status":503}');
      return;
    }
    const lastEventId = req.headers['last-event-id'];
    this.feedConnects.push(typeof lastEventId === 'string' ? lastEventId : undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': connected\n\n');
    this.feeds.add(res);
    res.on('close', () => this.feeds.delete(res));
  }

  private usageReport(res: ServerResponse, body: string): void {
    const status = this.usageFailures.shift();
    if (status !== undefined) {
      res.writeHead(status, { 'content-type': 'application/problem+json', 'retry-after': '1' }).end(JSON.stringify({ status }));
      return;
    }
    const { uses } = JSON.parse(body) as { uses: ReportedUse[] };
    this.usageBatches.push(uses);
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: uses.length }));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Resolves once `condition` holds, polling; fails the test after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
