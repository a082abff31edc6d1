import type { Lockout, LoginAttempt, LoginThrottle, ThrottleVerdict } from '@custos/application';
import type { TokenHasher } from '@custos/crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterFactory } from '@custos/application';

export interface LoginThrottleSettings {
  /** Where this installation keeps the throttle's counts (RedisKeys.key('login')). */
  keyPrefix: string;
  /** Wrong passwords in a row per account and address before that address waits. */
  maxFailures: number;
  /** The first wait; doubled by each further lock-out of the same account and address within a day. */
  lockoutSeconds: number;
  /** Wrong passwords per account per hour, all addresses together, before unfamiliar addresses wait. */
  accountFailuresPerHour: number;
  /** Wrong passwords per address per day, all accounts together. */
  addressFailuresPerDay: number;
}

const DAY = 24 * 3600;
/** A lock-out never grows past this: slowing an attacker down is the point, shutting a person out is not. */
const MAX_LOCKOUT_SECONDS = 3600;
/**
 * How long an address that signed in to an account stays familiar to it. Counted in this process, a
 * key lives on a timer, which cannot run past about 24 days: there it is 20.
 */
export const FAMILIAR_SECONDS = 30 * DAY;
export const FAMILIAR_SECONDS_IN_PROCESS = 20 * DAY;

/**
 * The log-in throttle on rate-limiter-flexible: in Redis, so every api instance counts the same attempts
 * (while Redis is away each instance counts on its own, the in-memory insurance limiters), or in this
 * process when the queues run on Postgres. Keys are keyed hashes of the e-mail and the address, never
 * the e-mail or the address themselves.
 */
export class LimiterLoginThrottle implements LoginThrottle {
  private readonly pairs: RateLimiterAbstract;
  private readonly lockouts: RateLimiterAbstract;
  private readonly accounts: RateLimiterAbstract;
  private readonly addresses: RateLimiterAbstract;
  private readonly familiar: RateLimiterAbstract;

  constructor(
    limiters: LimiterFactory,
    private readonly hasher: Pick<TokenHasher, 'derive'>,
    private readonly settings: LoginThrottleSettings,
    private readonly familiarSeconds = FAMILIAR_SECONDS,
  ) {
    const limiter = (name: string, points: number, duration: number): RateLimiterAbstract =>
      limiters({ keyPrefix: `${settings.keyPrefix}:${name}`, points, duration });
    this.pairs = limiter('pair', settings.maxFailures, DAY);
    this.lockouts = limiter('lockouts', Number.MAX_SAFE_INTEGER, DAY);
    this.accounts = limiter('account', settings.accountFailuresPerHour, 3600);
    this.addresses = limiter('address', settings.addressFailuresPerDay, DAY);
    this.familiar = limiter('familiar', 1, familiarSeconds);
  }

  async attempt(attempt: LoginAttempt): Promise<ThrottleVerdict> {
    const keys = this.keysOf(attempt);
    const address = await this.addresses.get(keys.address);
    if (address && address.consumedPoints >= this.addresses.points) return refused(address);
    const account = await this.accounts.get(keys.account);
    if (account && account.consumedPoints >= this.accounts.points && !(await this.familiar.get(keys.pair))) return refused(account);
    try {
      const pair = await this.pairs.consume(keys.pair);
      return { allowed: true, lastBeforeLockout: pair.remainingPoints === 0 };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return refused(rejection);
      throw rejection;
    }
  }

  async failed(attempt: LoginAttempt, verdict: Extract<ThrottleVerdict, { allowed: true }>): Promise<Lockout | null> {
    const keys = this.keysOf(attempt);
    await this.addresses.penalty(keys.address);
    const account = await this.accounts.penalty(keys.account);
    if (verdict.lastBeforeLockout) {
      const lockouts = await this.lockouts.penalty(keys.pair);
      const seconds = Math.min(this.settings.lockoutSeconds * 2 ** (lockouts.consumedPoints - 1), MAX_LOCKOUT_SECONDS);
      await this.pairs.block(keys.pair, seconds);
      return { scope: 'account_address', untilMs: Date.now() + seconds * 1000 };
    }
    if (account.consumedPoints === this.accounts.points) return { scope: 'account', untilMs: Date.now() + account.msBeforeNext };
    return null;
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    const keys = this.keysOf(attempt);
    await Promise.all([this.pairs.delete(keys.pair), this.lockouts.delete(keys.pair), this.familiar.set(keys.pair, 1, this.familiarSeconds)]);
  }

  private keysOf(attempt: LoginAttempt): { pair: string; account: string; address: string } {
    const email = attempt.email.trim().toLowerCase();
    const address = attempt.ip ?? 'unknown';
    return {
      pair: this.hasher.derive('login-pair', `${email}\n${address}`),
      account: this.hasher.derive('login-account', email),
      address: this.hasher.derive('login-address', address),
    };
  }
}

function refused(res: RateLimiterRes): ThrottleVerdict {
  return { allowed: false, retryAfterMs: Math.max(res.msBeforeNext, 1000) };
}
