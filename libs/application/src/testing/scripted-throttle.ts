import type { LoginAttempt, LoginThrottle, ThrottleVerdict } from '../accounts/login-throttle';

/** The throttle's answers, set by each test; what it was asked is kept (the real one lives in Redis, apps/api). */
export class ScriptedThrottle implements LoginThrottle {
  refuseForMs: number | null = null;
  readonly failures: LoginAttempt[] = [];
  readonly successes: LoginAttempt[] = [];
  async attempt(): Promise<ThrottleVerdict> {
    return this.refuseForMs === null ? { allowed: true, lastBeforeLockout: false } : { allowed: false, retryAfterMs: this.refuseForMs };
  }
  async failed(attempt: LoginAttempt): Promise<null> {
    this.failures.push(attempt);
    return null;
  }
  async succeeded(attempt: LoginAttempt): Promise<void> {
    this.successes.push(attempt);
  }
}

