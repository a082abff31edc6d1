import { RESTART_LIMITS, RestartPolicy } from './restart-policy';

describe('RestartPolicy', () => {
  const SECOND = 1_000;

  it('starts a crashed child again after 0.5 s, doubling the wait with each crash, and gives up at the 5th within a minute', () => {
    const policy = new RestartPolicy(RESTART_LIMITS);
    const decisions = [0, 1, 3, 7, 15].map((s) => policy.onCrash(s * SECOND));
    expect(decisions).toEqual([
      { restart: true, delayMs: 500, crashesInWindow: 1 },
      { restart: true, delayMs: 1_000, crashesInWindow: 2 },
      { restart: true, delayMs: 2_000, crashesInWindow: 3 },
      { restart: true, delayMs: 4_000, crashesInWindow: 4 },
      { restart: false, crashesInWindow: 5 },
    ]);
  });

  it('forgets crashes older than the window, so an occasional crash is always restarted quickly', () => {
    const policy = new RestartPolicy(RESTART_LIMITS);
    const decisions = Array.from({ length: 20 }, (_, i) => policy.onCrash(i * 61 * SECOND));
    expect(decisions.every((d) => d.restart && d.delayMs === 500)).toBe(true);
  });

  it('counts only the crashes inside the sliding window', () => {
    const policy = new RestartPolicy(RESTART_LIMITS);
    for (const s of [0, 10, 20, 30]) policy.onCrash(s * SECOND);
    // The crash at 0 s has left the window at 60 s: four in the window, not five.
    expect(policy.onCrash(60 * SECOND)).toEqual({ restart: true, delayMs: 4_000, crashesInWindow: 4 });
    expect(policy.onCrash(61 * SECOND)).toEqual({ restart: false, crashesInWindow: 5 });
  });

  it('never waits longer than the cap', () => {
    const policy = new RestartPolicy({ initialBackoffMs: 500, maxBackoffMs: 3_000, maxCrashes: 100, windowMs: 60 * SECOND });
    const delays = Array.from({ length: 8 }, (_, i) => policy.onCrash(i));
    expect(delays.map((d) => (d.restart ? d.delayMs : 'gave up'))).toEqual([500, 1_000, 2_000, 3_000, 3_000, 3_000, 3_000, 3_000]);
  });

  it('keeps the history of each child apart', () => {
    const [api, worker] = [new RestartPolicy(RESTART_LIMITS), new RestartPolicy(RESTART_LIMITS)];
    for (let i = 0; i < 4; i++) api.onCrash(i);
    expect(worker.onCrash(5)).toEqual({ restart: true, delayMs: 500, crashesInWindow: 1 });
    expect(api.onCrash(6)).toEqual({ restart: false, crashesInWindow: 5 });
  });
});
