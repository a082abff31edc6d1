import { setTimeout as sleep } from 'node:timers/promises';
import { totpCodeAt } from '@custos/crypto';

const STEP_MS = 30_000;
/** A code is not taken from a step ending sooner than this: the request might arrive after it ended. */
const MARGIN_MS = 3_000;

/**
 * An authenticator app for tests. The server accepts each time step once and one step either side of
 * its clock, so this hands out a fresh step every time: the earliest one after those already used that
 * the server will still accept on arrival, waiting for the next step only when all are used.
 */
export class AuthenticatorApp {
  private lastStep = -Infinity;

  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    for (;;) {
      const now = Date.now();
      const current = Math.floor(now / STEP_MS);
      // The previous step stays acceptable until the current one ends (window 1).
      const earliest = now + MARGIN_MS < (current + 1) * STEP_MS ? current - 1 : current;
      const step = Math.max(this.lastStep + 1, earliest);
      if (step <= current + 1) {
        this.lastStep = step;
        return totpCodeAt(this.secret, new Date(step * STEP_MS + 1));
      }
      await sleep((current + 1) * STEP_MS - now + 10);
    }
  }

  /** A code the server accepted already: refused as a replay. */
  usedCode(): string {
    return totpCodeAt(this.secret, new Date(this.lastStep * STEP_MS + 1));
  }
}
