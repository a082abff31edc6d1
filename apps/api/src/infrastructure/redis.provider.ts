import { Redis } from 'ioredis';

/** The api's shared Redis connection (commands, publishing); subscribers open their own. */
export const REDIS = Symbol('REDIS');

export function createRedis(url: string, name: string): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 2, lazyConnect: false });
}
