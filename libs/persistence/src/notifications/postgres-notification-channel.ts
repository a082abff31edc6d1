import pg from 'pg';

/** Postgres refuses a NOTIFY payload of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7999;
/** After the LISTEN connection drops, the next attempt waits this long (then doubles, up to the cap). */
const RECONNECT_FIRST_MS = 200;
const RECONNECT_MAX_MS = 2000;

export interface NotificationListener {
  message(payload: string): void;
  subscribed(): void;
  lost(): void;
}

/**
 * One Postgres NOTIFY channel: publishes through a one-connection pool, listens on a dedicated
 * connection that is opened again (and LISTENs again) whenever it drops, telling the listener when it
 * may have missed something.
 */
export class PostgresNotificationChannel {
  readonly maxMessageBytes = MAX_PAYLOAD_BYTES;
  private readonly pool: pg.Pool;
  private listenClient: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    private readonly url: string,
    /** A lower-case identifier: LISTEN folds unquoted names, and this one is never quoted differently. */
    private readonly channel: string,
    private readonly applicationName: string,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid notification channel name ${channel}`);
    this.pool = new pg.Pool({ connectionString: url, max: 1, application_name: applicationName, connectionTimeoutMillis: 2000 });
    // An idle connection that dies is replaced by the pool; the next publish reports a failure itself.
    this.pool.on('error', () => undefined);
  }

  async publish(payload: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, payload]);
  }

  subscribe(listener: NotificationListener): void {
    void this.listen(listener, RECONNECT_FIRST_MS);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    await this.listenClient?.end().catch(() => undefined);
    await this.pool.end();
  }

  private async listen(listener: NotificationListener, backoffMs: number): Promise<void> {
    if (this.closing) return;
    const client = new pg.Client({ connectionString: this.url, application_name: `${this.applicationName}-listen`, keepAlive: true });
    this.listenClient = client;
    let dropped = false;
    const drop = (): void => {
      if (dropped) return;
      dropped = true;
      listener.lost();
      void client.end().catch(() => undefined);
      if (this.closing) return;
      this.reconnectTimer = setTimeout(() => void this.listen(listener, Math.min(backoffMs * 2, RECONNECT_MAX_MS)), backoffMs);
      this.reconnectTimer.unref();
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', (notification) => {
      if (notification.channel === this.channel) listener.message(notification.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch {
      drop();
      return;
    }
    if (!this.closing && !dropped) listener.subscribed();
  }
}
