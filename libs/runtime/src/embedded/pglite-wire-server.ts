import type { PGlite } from '@electric-sql/pglite';
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { listenStatement, NotificationRouter, NotificationSplitter, type NotificationTarget } from './notification-router';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** A sane bound on one message; Postgres itself refuses more than 1 GB. */
const MAX_MESSAGE_BYTES = 1 << 30;

const TERMINATE = 0x58; // 'X'
const QUERY = 0x51; // 'Q'
const PARSE = 0x50; // 'P'
const BIND = 0x42; // 'B'
const DESCRIBE = 0x44; // 'D'
const CLOSE = 0x43; // 'C'
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I': ReadyForQuery status outside a transaction block
const IN_TRANSACTION = 0x54; // 'T'
const STATEMENT = 0x53; // 'S': Describe/Close target kind

const SYNC_MESSAGE = Buffer.from([0x53, 0, 0, 0, 4]);

/** How long a refused client has to send its startup packet before the socket is simply closed. */
const STARTUP_TIMEOUT_MS = 5_000;

export interface PgliteWireServerOptions {
  /** The Unix socket to serve on. */
  path: string;
  maxConnections: number;
}

/**
 * Serves one PGlite backend to many Postgres wire-protocol clients (node-postgres pools).
 *
 * PGlite is a single backend, so clients must take turns. pglite-socket's PGLiteSocketServer hands the
 * backend over between single messages: a pool client's Parse can be followed by another client's Parse
 * before its own Bind arrives (node-postgres writes each message separately), and the Bind then runs
 * against the other client's statement with its own parameters. Here a client keeps the backend from its
 * first message until the backend reports ReadyForQuery outside a transaction block: a whole
 * Parse..Sync unit or a whole transaction runs without interleaving. Named prepared statements live in the
 * shared backend too, so their names are made unique per connection and dropped when it closes, and
 * notifications go to the clients that LISTEN for them (NotificationRouter), not to whichever client
 * happened to commit the NOTIFY.
 */
export class PgliteWireServer {
  private readonly server: Server;
  private readonly sessions = new Set<WireSession>();
  private readonly lock = new BackendLock();
  private readonly notifications = new NotificationRouter();
  private nextSessionId = 1;

  constructor(
    private readonly db: PGlite,
    private readonly options: PgliteWireServerOptions,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /**
   * Every client is the superuser and no password is asked, so the socket is its owner's alone (mode
   * 0600); the caller puts it in a directory only the owner may enter as well.
   */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ path: this.options.path, readableAll: false, writableAll: false }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    chmodSync(this.options.path, 0o600);
  }

  /** Stops listening, drops every client and waits until each one's open work is rolled back. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.sessions].map((session) => session.terminate()));
    await closed;
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    if (this.sessions.size >= this.options.maxConnections) {
      // What Postgres answers too, once it has read the startup packet: answering before it arrives
      // closes the socket under the client's first write, which then sees EPIPE instead of the reason.
      const refuse = () =>
        socket.end(errorResponse('53300', `sorry, too many clients already (maxConnections ${this.options.maxConnections})`), () =>
          socket.destroy(),
        );
      socket.once('data', refuse);
      socket.setTimeout(STARTUP_TIMEOUT_MS, () => socket.destroy());
      return;
    }
    const session = new WireSession(this.nextSessionId++, socket, this.db, this.lock, this.notifications);
    this.sessions.add(session);
    socket.on('close', () => {
      void session.terminate().finally(() => this.sessions.delete(session));
    });
  }
}

/** First come, first served ownership of the single backend. */
class BackendLock {
  private owner: WireSession | null = null;
  /**
   * The search_path the backend runs with now, as the last owner's startup options set it (undefined:
   * the server's default). One backend serves every connection, so each owner gets its own back.
   */
  searchPath: string | undefined;
  private readonly waiting: Array<{ session: WireSession; grant: () => void }> = [];

  ownedBy(session: WireSession): boolean {
    return this.owner === session;
  }

  acquire(session: WireSession): Promise<void> {
    if (this.owner === session) return Promise.resolve();
    if (this.owner === null) {
      this.owner = session;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ session, grant }));
  }

  release(session: WireSession): void {
    if (this.owner !== session) return;
    const next = this.waiting.shift();
    this.owner = next?.session ?? null;
    next?.grant();
  }
}

class WireSession implements NotificationTarget {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private closing = false;
  private pumping: Promise<void> | null = null;
  private cleanup: Promise<void> | null = null;
  /** Statement names as the backend knows them (prefixed). */
  private readonly statements = new Set<string>();
  private readonly prefix: string;
  /** From the client's startup options (`-c search_path=…`, as BullMQ's PostgreSQL backend sends it). */
  private searchPath: string | undefined;
  private readonly splitter = new NotificationSplitter();

  constructor(
    id: number,
    private readonly socket: Socket,
    private readonly db: PGlite,
    private readonly lock: BackendLock,
    private readonly notifications: NotificationRouter,
  ) {
    this.prefix = `c${id}_`;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.pump();
    });
  }

  /**
   * A notification from another client's transaction. That client holds the backend, so this one is
   * between messages; a client takes a NotificationResponse at any moment, as from a real server.
   */
  deliver(message: Buffer): void {
    if (this.started && !this.socket.destroyed) this.socket.write(message);
  }

  /** Idempotent: closes the socket, then frees whatever this client left in the backend. */
  terminate(): Promise<void> {
    this.notifications.unlisten(this, '*');
    this.closing = true;
    if (!this.socket.destroyed) this.socket.destroy();
    this.cleanup ??= (this.pumping ?? Promise.resolve()).then(() => this.releaseBackendState());
    return this.cleanup;
  }

  /**
   * Drains complete messages in order. Data only arrives in I/O callbacks, which cannot run between the
   * end of drain() and the reset of `pumping` (both microtasks), so no message is left unread.
   */
  private pump(): void {
    if (this.pumping || this.closing) return;
    this.pumping = this.drain()
      .catch(() => {
        // The backend itself failed (SQL errors come back as protocol messages, not exceptions).
        this.closing = true;
        this.socket.destroy();
      })
      .finally(() => {
        this.pumping = null;
      });
  }

  private async drain(): Promise<void> {
    for (let message = this.nextMessage(); message && !this.closing; message = this.nextMessage()) {
      await this.handle(message);
    }
  }

  private nextMessage(): Buffer | null {
    const headerBytes = this.started ? 5 : 4;
    if (this.buffer.length < headerBytes) return null;
    const length = this.started ? 1 + this.buffer.readInt32BE(1) : this.buffer.readInt32BE(0);
    if (length < headerBytes || length > MAX_MESSAGE_BYTES) {
      throw new Error(`invalid wire message length ${length}`);
    }
    if (this.buffer.length < length) return null;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private async handle(message: Buffer): Promise<void> {
    if (!this.started) {
      const code = message.length >= 8 ? message.readInt32BE(4) : 0;
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        this.socket.write('N');
        return;
      }
      if (code === CANCEL_REQUEST) {
        // A single backend has no other process to interrupt.
        this.closing = true;
        this.socket.end(() => this.socket.destroy());
        return;
      }
      if (code >>> 16 !== 3) {
        // A malformed startup packet makes PGlite exit, which would take every other client with it.
        this.closing = true;
        this.socket.end(errorResponse('08P01', `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`), () =>
          this.socket.destroy(),
        );
        return;
      }
      this.started = true;
      this.searchPath = searchPathOption(message);
      await this.execute(message);
      return;
    }
    if (message[0] === TERMINATE) {
      // Not forwarded: the backend is shared, only this client goes away.
      this.closing = true;
      this.socket.end(() => this.socket.destroy());
      return;
    }
    if (message[0] === QUERY) {
      const statement = listenStatement(message.toString('utf8', 5, message.length - 1));
      if (statement?.listen) this.notifications.listen(this, statement.channel);
      if (statement && !statement.listen) {
        // Not forwarded: the backend listens for every client; this one just stops being told.
        this.notifications.unlisten(this, statement.channel);
        const inTransaction = this.lock.ownedBy(this) && this.db.isInTransaction();
        this.socket.write(Buffer.concat([typed('C', Buffer.from('UNLISTEN\0')), typed('Z', Buffer.from([inTransaction ? IN_TRANSACTION : IDLE]))]));
        return;
      }
    }
    await this.execute(this.renameStatements(message));
  }

  private async execute(message: Uint8Array): Promise<void> {
    await this.lock.acquire(this);
    const tail = Buffer.alloc(6);
    let tailLength = 0;
    await this.db.runExclusive(async () => {
      await this.applySearchPath();
      const pass = (data: Uint8Array): void => {
        if (!this.socket.destroyed) this.socket.write(data);
        tailLength = keepTail(tail, tailLength, data);
      };
      await this.db.execProtocolRawStream(message, {
        onRawData: (data) =>
          this.splitter.split(data, pass, (notification) => {
            if (this.notifications.route(notification, this)) pass(notification);
          }),
      });
    });
    if (isReadyForQuery(tail, tailLength, IDLE)) this.lock.release(this);
  }

  /**
   * A real server keeps each connection's settings in its own backend; here they would leak from one
   * client to the next. Only search_path is carried (the one startup setting a client here relies on),
   * and only when it differs from what the backend has: a SET between two clients of different schemas.
   */
  private async applySearchPath(): Promise<void> {
    if (this.lock.searchPath === this.searchPath) return;
    const sql = this.searchPath === undefined ? 'RESET search_path' : `SET search_path TO ${this.searchPath}`;
    await this.db.execProtocolRawStream(simpleQuery(sql), { onRawData: () => undefined });
    this.lock.searchPath = this.searchPath;
  }

  /** Gives named statements a per-connection name, since every connection shares one backend. */
  private renameStatements(message: Buffer): Buffer {
    const type = message.readUInt8(0);
    switch (type) {
      case PARSE: {
        const name = cstring(message, 5);
        if (name.value === '') return message;
        const renamed = this.prefix + name.value;
        this.statements.add(renamed);
        return rebuild(message, 5, name.end, renamed);
      }
      case BIND: {
        const portal = cstring(message, 5);
        const statement = cstring(message, portal.end);
        if (statement.value === '') return message;
        return rebuild(message, portal.end, statement.end, this.prefix + statement.value);
      }
      case DESCRIBE:
      case CLOSE: {
        if (message[5] !== STATEMENT) return message;
        const name = cstring(message, 6);
        if (name.value === '') return message;
        const renamed = this.prefix + name.value;
        if (type === CLOSE) this.statements.delete(renamed);
        return rebuild(message, 6, name.end, renamed);
      }
      default:
        return message;
    }
  }

  /** Ends a half-sent extended query, rolls back an open transaction and drops named statements. */
  private async releaseBackendState(): Promise<void> {
    if (!this.started || (!this.lock.ownedBy(this) && this.statements.size === 0)) return;
    await this.lock.acquire(this);
    try {
      const discard = { onRawData: () => undefined };
      await this.db.runExclusive(async () => {
        await this.db.execProtocolRawStream(SYNC_MESSAGE, discard);
        if (this.db.isInTransaction()) await this.db.execProtocolRawStream(simpleQuery('ROLLBACK'), discard);
        for (const name of this.statements) await this.db.execProtocolRawStream(closeStatement(name), discard);
        if (this.statements.size > 0) await this.db.execProtocolRawStream(SYNC_MESSAGE, discard);
      });
      this.statements.clear();
    } catch {
      // The backend is gone (closed while stopping); nothing is left to release.
    } finally {
      this.lock.release(this);
    }
  }
}

/**
 * The value of `-c search_path=…` in a startup packet's `options` parameter (libpq escapes spaces in it
 * with a backslash). Only names, quotes, commas and spaces are accepted: the value is spliced into SQL.
 */
function searchPathOption(startup: Buffer): string | undefined {
  const parameters = startup.subarray(8).toString('utf8').split('\0');
  const at = parameters.indexOf('options');
  if (at < 0 || at % 2 !== 0) return undefined;
  const match = /(?:^|\s)-c\s*search_path=((?:\\\s|\S)+)/.exec(parameters[at + 1] ?? '');
  const value = match?.[1]?.replace(/\\(\s)/g, '$1');
  return value && /^[\w", $]+$/.test(value) ? value : undefined;
}

/** Keeps the last bytes of a response stream that arrives in chunks. */
function keepTail(tail: Buffer, tailLength: number, data: Uint8Array): number {
  if (data.length >= tail.length) {
    tail.set(data.subarray(data.length - tail.length));
    return tail.length;
  }
  const keep = Math.min(tailLength, tail.length - data.length);
  tail.copyWithin(0, tailLength - keep, tailLength);
  tail.set(data, keep);
  return keep + data.length;
}

/**
 * A response that ends with ReadyForQuery ('Z', length 5, status). Every other backend message ends in
 * a NUL byte or a fixed length that cannot look like this.
 */
function isReadyForQuery(tail: Buffer, tailLength: number, status: number): boolean {
  return tailLength === 6 && tail[0] === READY_FOR_QUERY && tail.readInt32BE(1) === 5 && tail[5] === status;
}

function cstring(message: Buffer, start: number): { value: string; end: number } {
  const nul = message.indexOf(0, start);
  if (nul < 0) throw new Error('unterminated string in wire message');
  return { value: message.toString('utf8', start, nul), end: nul + 1 };
}

/** Replaces the NUL-terminated string at [start, end) and fixes the length field. */
function rebuild(message: Buffer, start: number, end: number, value: string): Buffer {
  const out = Buffer.concat([message.subarray(0, start), Buffer.from(`${value}\0`, 'utf8'), message.subarray(end)]);
  out.writeInt32BE(out.length - 1, 1);
  return out;
}

function typed(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function simpleQuery(sql: string): Buffer {
  return typed('Q', Buffer.from(`${sql}\0`, 'utf8'));
}

function closeStatement(name: string): Buffer {
  return typed('C', Buffer.from(`S${name}\0`, 'utf8'));
}

function errorResponse(sqlState: string, text: string): Buffer {
  const fields = [`SFATAL`, `VFATAL`, `C${sqlState}`, `M${text}`].map((f) => `${f}\0`).join('');
  return typed('E', Buffer.from(`${fields}\0`, 'utf8'));
}
