/** NotificationResponse ('A'): int32 process id, channel name, payload. */
const NOTIFICATION_RESPONSE = 0x41;
const HEADER_BYTES = 5;

/** What the router needs of a client connection. */
export interface NotificationTarget {
  /** Writes a whole backend message to the client, between its other messages. */
  deliver(message: Buffer): void;
}

/**
 * LISTEN/NOTIFY for many clients of one backend. The backend listens on behalf of every client and emits
 * each notification in the output of whichever client's transaction committed the NOTIFY, so the wire
 * server takes notifications out of every output (NotificationSplitter) and hands each one to the
 * clients that asked for its channel: as if each client had a backend of its own.
 */
export class NotificationRouter {
  private readonly listeners = new Map<string, Set<NotificationTarget>>();

  listen(target: NotificationTarget, channel: string): void {
    let targets = this.listeners.get(channel);
    if (!targets) this.listeners.set(channel, (targets = new Set()));
    targets.add(target);
  }

  /** The backend keeps listening (other clients may still want the channel): its notifications are dropped here. */
  unlisten(target: NotificationTarget, channel: string | '*'): void {
    for (const [name, targets] of this.listeners) {
      if (channel === '*' || name === channel) targets.delete(target);
    }
  }

  /** Delivers a NotificationResponse to each client listening on its channel; says whether `self` is one of them. */
  route(message: Buffer, self: NotificationTarget): boolean {
    const end = message.indexOf(0, HEADER_BYTES + 4);
    const channel = message.toString('utf8', HEADER_BYTES + 4, end < 0 ? message.length : end);
    let toSelf = false;
    for (const target of this.listeners.get(channel) ?? []) {
      if (target === self) toSelf = true;
      else target.deliver(message);
    }
    return toSelf;
  }
}

/**
 * The channel a simple-query LISTEN or UNLISTEN names, as the backend will (an unquoted name folded to
 * lower case), or null for any other statement. Only whole single statements are recognised; BullMQ and
 * node-postgres send them so.
 */
export function listenStatement(sql: string): { listen: boolean; channel: string } | null {
  const match = /^\s*(UN)?LISTEN\s+(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*)|(\*))\s*;?\s*$/i.exec(sql);
  if (!match) return null;
  const listen = match[1] === undefined;
  const channel = match[2]?.replace(/""/g, '"') ?? match[3]?.toLowerCase() ?? (listen ? null : '*');
  return channel === null ? null : { listen, channel };
}

/**
 * Splits one client's output stream (in chunks that may end anywhere) into what goes on to the client
 * and the NotificationResponse messages, which go to the router instead.
 */
export class NotificationSplitter {
  /** A message header cut off at the end of the last chunk. */
  private pendingHeader: Buffer | null = null;
  /** Bytes of the current message body still to come. */
  private bodyLeft = 0;
  /** The notification being read, when the current message is one. */
  private captured: Buffer[] | null = null;

  split(chunk: Uint8Array, pass: (bytes: Uint8Array) => void, notification: (message: Buffer) => void): void {
    const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = 0;
    /** Where the bytes still to pass on begin; null while inside a notification. */
    let run: number | null = 0;
    const flush = (end: number): void => {
      if (run !== null && end > run) pass(data.subarray(run, end));
    };
    const startMessage = (header: Buffer, headerEndsAt: number, headerInChunk: boolean): void => {
      this.bodyLeft = header.readInt32BE(1) - 4;
      if (header[0] === NOTIFICATION_RESPONSE) {
        if (headerInChunk) flush(headerEndsAt - HEADER_BYTES);
        this.captured = [Buffer.from(header)];
        run = null;
      } else if (!headerInChunk) {
        pass(header);
        run = headerEndsAt;
      }
    };

    if (this.pendingHeader) {
      const need = HEADER_BYTES - this.pendingHeader.length;
      if (data.length < need) {
        this.pendingHeader = Buffer.concat([this.pendingHeader, data]);
        return;
      }
      const header = Buffer.concat([this.pendingHeader, data.subarray(0, need)]);
      this.pendingHeader = null;
      at = need;
      run = need;
      startMessage(header, need, false);
    } else if (this.captured) {
      run = null;
    }

    while (at < data.length) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, data.length - at);
        if (this.captured) this.captured.push(Buffer.from(data.subarray(at, at + take)));
        at += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0 && this.captured) {
          notification(Buffer.concat(this.captured));
          this.captured = null;
          run = at;
        }
        continue;
      }
      if (data.length - at < HEADER_BYTES) {
        flush(at);
        this.pendingHeader = Buffer.from(data.subarray(at));
        return;
      }
      at += HEADER_BYTES;
      startMessage(data.subarray(at - HEADER_BYTES, at), at, true);
    }
    flush(data.length);
  }
}
