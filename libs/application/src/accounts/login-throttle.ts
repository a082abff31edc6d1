/** One log-in attempt as the throttle sees it: the e-mail as typed (known or not) and the caller's address. */
export interface LoginAttempt {
  email: string;
  ip: string | null;
}

/**
 * Go ahead (and whether a wrong password now starts a lock-out: parallel attempts cannot all be the
 * last one), or wait this long before trying again.
 */
export type ThrottleVerdict = { allowed: true; lastBeforeLockout: boolean } | { allowed: false; retryAfterMs: number };

/** What a wrong password set off: the account-and-address pair, or the account from unfamiliar addresses, now waits. */
export interface Lockout {
  scope: 'account_address' | 'account';
  untilMs: number;
}

/**
 * Slows password guessing down, shared by every api instance. Everything is keyed by the e-mail as
 * typed, so an unknown account is throttled exactly like a real one and the answers cannot tell them
 * apart. An attempt is counted before the password is checked, so parallel guesses cannot slip past
 * the count; a success clears its pair's count.
 */
export interface LoginThrottle {
  /** Counts the attempt; refuses it while its address, its account-and-address pair or its account is throttled. */
  attempt(attempt: LoginAttempt): Promise<ThrottleVerdict>;
  /** The password was wrong: returns the lockout this failure started, if any. */
  failed(attempt: LoginAttempt, verdict: Extract<ThrottleVerdict, { allowed: true }>): Promise<Lockout | null>;
  /** The password was right: the pair starts afresh, and the address is one this account is known to use. */
  succeeded(attempt: LoginAttempt): Promise<void>;
}

export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');
