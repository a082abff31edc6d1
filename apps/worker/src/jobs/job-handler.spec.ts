import { indexHandlers, type JobHandler } from './job-handler';

const handler = (): JobHandler<'audit.seal'> => ({ jobName: 'audit.seal', handle: async () => undefined });

describe('job handler registry', () => {
  it('indexes one handler per scheduled job', () => {
    const h = handler();
    expect(indexHandlers([h], ['audit.seal']).get('audit.seal')).toBe(h);
  });

  it('refuses to start with two handlers for one job', () => {
    expect(() => indexHandlers([handler(), handler()], ['audit.seal'])).toThrow('two handlers for job "audit.seal"');
  });

  it('refuses to start when a scheduled job has no handler', () => {
    expect(() => indexHandlers([], ['audit.seal'])).toThrow('no handler for scheduled job(s): audit.seal');
  });
});
