import { describe, expect, it } from '@jest/globals';
import { toReadiness } from './health.api';

describe('toReadiness', () => {
  it('reads a ready @nestjs/terminus body', () => {
    const body = {
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' }, redis: { status: 'up' } },
    };
    expect(toReadiness(true, body)).toEqual({
      ready: true,
      checks: [
        { name: 'database', state: 'ok' },
        { name: 'redis', state: 'ok' },
      ],
    });
  });

  it('marks failing checks with their message when the API answers 503', () => {
    const body = {
      status: 'error',
      info: { database: { status: 'up' } },
      error: { redis: { status: 'down', message: 'connect ECONNREFUSED' } },
    };
    expect(toReadiness(false, body)).toEqual({
      ready: false,
      checks: [
        { name: 'database', state: 'ok' },
        { name: 'redis', state: 'failing', message: 'connect ECONNREFUSED' },
      ],
    });
  });

  it('accepts a plain checks map', () => {
    expect(toReadiness(true, { status: 'ok', checks: { database: 'ok', redis: 'down' } })).toEqual({
      ready: false,
      checks: [
        { name: 'database', state: 'ok' },
        { name: 'redis', state: 'failing' },
      ],
    });
  });

  it('keeps the detail of a problem body', () => {
    const problem = { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Database is down' };
    expect(toReadiness(false, problem)).toEqual({ ready: false, checks: [], detail: 'Database is down' });
  });

  it('follows the HTTP status when the body is empty', () => {
    expect(toReadiness(true, undefined)).toEqual({ ready: true, checks: [] });
    expect(toReadiness(false, undefined)).toEqual({ ready: false, checks: [] });
  });
});
