/** A namespace is a Redis Cluster hash tag: every key of an installation then lives in one slot. */
const NAMESPACE = /^\{[A-Za-z0-9_:-]+\}$/;

/**
 * Every name one installation uses in Redis: its queues, its channels, its keys. Installations that
 * share a Redis never see each other's jobs or messages because each has a namespace of its own
 * (CUSTOS_QUEUE_PREFIX, else derived from the database's installation id at start-up). New Redis state
 * takes its name from here, so it inherits the namespace.
 */
export class RedisKeys {
  constructor(readonly namespace: string) {
    if (!NAMESPACE.test(namespace)) throw new Error(`invalid Redis namespace "${namespace}": expected a hash tag like {custos}`);
  }

  /** BullMQ's key prefix of every queue. */
  get queuePrefix(): string {
    return this.namespace;
  }

  /**
   * Workers announce themselves in one sorted set (member: instance id, score: last beat in ms), so the
   * api can count the live ones.
   */
  get workerHeartbeat(): string {
    return this.key('workers');
  }

  /** Where instances tell each other that cached token state changed (api and worker publish, api listens). */
  get tokenInvalidationChannel(): string {
    return this.key('token-invalidations');
  }

  /** The stream of a tenant's events feed (RedisTokenFeed). */
  tokenFeed(tenantId: string): string {
    return this.key('feed', tenantId);
  }

  /** A key (or key prefix) of this installation for a feature of its own, e.g. key('login-limits'). */
  key(...parts: string[]): string {
    if (parts.length === 0 || parts.some((part) => part.length === 0)) throw new Error('a Redis key needs non-empty parts');
    return [this.namespace, ...parts].join(':');
  }
}

/** Characters of the installation id that name its default namespace: 48 random bits. */
const SHORT_ID_LENGTH = 12;

/** The default namespace of an installation, from the random id its database was given by the migrations. */
export function installationNamespace(installationId: string): string {
  if (!/^[0-9a-f]{32}$/.test(installationId)) throw new Error('invalid installation id');
  return `{custos-${installationId.slice(0, SHORT_ID_LENGTH)}}`;
}
