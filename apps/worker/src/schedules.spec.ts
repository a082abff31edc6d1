import { loadConfig } from '@custos/runtime';
import { schedules, switchedOffSchedules } from './schedules';

const configWith = (env: Record<string, string> = {}) =>
  loadConfig({ DATABASE_URL: 'postgres://localhost/custos', CUSTOS_TOKEN_PEPPER: 'p'.repeat(32), CUSTOS_MASTER_KEY: 'm'.repeat(32), ...env });

describe('audit evidence schedules', () => {
  it('looks for due checkpoints as often as it seals, signs after 1000 events or 5 minutes, and checks key ages with the notices, by default', () => {
    const config = configWith();
    expect(config).toMatchObject({ CUSTOS_CHECKPOINT_INTERVAL_MS: 300_000, CUSTOS_CHECKPOINT_EVERY_EVENTS: 1000, CUSTOS_SIGNING_KEY_ROTATION_DAYS: 90 });
    expect(schedules(config).filter((s) => s.jobName === 'audit.checkpoint' || s.jobName === 'signing_keys.rotate')).toEqual([
      { id: 'audit-checkpoint', jobName: 'audit.checkpoint', everyMs: 5000 },
      { id: 'signing-keys-rotate', jobName: 'signing_keys.rotate', everyMs: 60_000 },
    ]);
    expect(switchedOffSchedules(config)).toEqual([]);
  });

  it('keeps the schedule while either rule is on, ticking no slower than the interval', () => {
    const onlyCount = configWith({ CUSTOS_CHECKPOINT_INTERVAL_MS: '0' });
    expect(schedules(onlyCount).find((s) => s.jobName === 'audit.checkpoint')).toMatchObject({ everyMs: 5000 });
    const onlyTime = configWith({ CUSTOS_CHECKPOINT_EVERY_EVENTS: '0', CUSTOS_CHECKPOINT_INTERVAL_MS: '300' });
    expect(schedules(onlyTime).find((s) => s.jobName === 'audit.checkpoint')).toMatchObject({ everyMs: 300 });
  });

  it('drops the checkpoint schedule, and removes it from Redis, when both rules are off', () => {
    const config = configWith({ CUSTOS_CHECKPOINT_INTERVAL_MS: '0', CUSTOS_CHECKPOINT_EVERY_EVENTS: '0' });
    expect(schedules(config).map((s) => s.jobName)).not.toContain('audit.checkpoint');
    expect(schedules(config).map((s) => s.jobName)).toContain('signing_keys.rotate');
    expect(switchedOffSchedules(config)).toEqual(['audit-checkpoint']);
  });

  it('refuses intervals that are neither off nor workable, and key lifetimes out of range', () => {
    expect(() => configWith({ CUSTOS_CHECKPOINT_INTERVAL_MS: '50' })).toThrow(/CUSTOS_CHECKPOINT_INTERVAL_MS is invalid: must be 0 \(off\) or at least 100/);
    expect(() => configWith({ CUSTOS_CHECKPOINT_EVERY_EVENTS: '-1' })).toThrow(/CUSTOS_CHECKPOINT_EVERY_EVENTS is invalid/);
    expect(() => configWith({ CUSTOS_SIGNING_KEY_ROTATION_DAYS: '0' })).toThrow(/CUSTOS_SIGNING_KEY_ROTATION_DAYS is invalid/);
    expect(() => configWith({ CUSTOS_SIGNING_KEY_ROTATION_DAYS: 'soon' })).toThrow(/CUSTOS_SIGNING_KEY_ROTATION_DAYS is invalid/);
  });
});
