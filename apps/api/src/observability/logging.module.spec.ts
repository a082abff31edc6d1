import { type IncomingMessage } from 'node:http';
import { generateToken } from '@custos/domain';
import { pino, type DestinationStream } from 'pino';
import { createPinoOptions } from '@custos/runtime';
import { createHttpLoggerOptions } from './logging.module';

const config = { LOG_LEVEL: 'info', NODE_ENV: 'test' } as const;
const token = generateToken('live').raw;

function memoryLogger(): { logger: pino.Logger; lines: () => string[] } {
  const written: string[] = [];
  const stream: DestinationStream = { write: (line: string) => void written.push(line) };
  return { logger: pino(createPinoOptions(config), stream), lines: () => written };
}

describe('log redaction', () => {
  it('hides credentials in headers and secrets nested in logged objects', () => {
    const { logger, lines } = memoryLogger();
    logger.info(
      {
        req: {
          method: 'POST',
          url: '/v1/auth/login',
          headers: { authorization: 'Bearer abc', cookie: 'custos_session=zzz', 'x-csrf-token': 'csrf-value' },
        },
        body: {
          email: 'a@example.com',
          password: 'pa55word',
          nested: { secret: 'shh', deeper: { token: 'tkn-value' } },
        },
      },
      'login attempt',
    );
    const line = lines().join('');
    for (const leaked of ['Bearer abc', 'zzz', 'csrf-value', 'pa55word', 'shh', 'tkn-value']) {
      expect(line).not.toContain(leaked);
    }
    expect(JSON.parse(line)).toMatchObject({
      msg: 'login attempt',
      body: { email: 'a@example.com', password: '[REDACTED]' },
    });
  });

  it('hides secrets carried by an error and tokens in its message and stack', () => {
    const { logger, lines } = memoryLogger();
    const error = Object.assign(new Error(`token ${token} is revoked`), {
      sessionToken: 'sess-value',
      context: { csrfToken: 'csrf-2' },
    });
    logger.error({ err: error }, 'verification failed');
    logger.error(error);
    const output = lines().join('');
    expect(output).not.toContain(token);
    expect(output).not.toContain('sess-value');
    expect(output).not.toContain('csrf-2');
    const [first] = lines().map((l) => JSON.parse(l) as { err: { type: string; message: string } });
    expect(first?.err).toMatchObject({ type: 'Error', message: 'token [REDACTED] is revoked' });
  });

  it('hides tokens pasted into messages, format arguments and child bindings', () => {
    const { logger, lines } = memoryLogger();
    logger.warn(`rejected ${token}`);
    logger.warn('rejected %s', token);
    logger.child({ caller: `line1\n${token}` }).info('hello');
    expect(lines()).toHaveLength(3);
    expect(lines().join('')).not.toContain(token);
  });

  it('serializes requests and responses without credentials', () => {
    const options = createHttpLoggerOptions(config);
    const serialize = options.serializers as Record<string, (value: unknown) => unknown>;
    const req = {
      method: 'GET',
      url: '/v1/tokens',
      headers: { authorization: 'Bearer abc', host: 'x' },
      socket: {},
    } as unknown as IncomingMessage;
    const res = {
      statusCode: 200,
      getHeaders: () => ({ 'set-cookie': 'custos_session=zzz', 'content-type': 'application/json' }),
    };
    expect(serialize.req!(req)).toMatchObject({ headers: { authorization: '[REDACTED]', host: 'x' } });
    expect(serialize.res!(res)).toMatchObject({
      headers: { 'set-cookie': '[REDACTED]', 'content-type': 'application/json' },
    });
  });

  it('logs the networks of client addresses, never the addresses', () => {
    const serialize = createHttpLoggerOptions(config).serializers as Record<string, (value: unknown) => unknown>;
    const req = {
      method: 'GET',
      url: '/v1/tokens',
      headers: { 'x-forwarded-for': '203.0.113.5, 2001:db8:1234:5678::9, unknown', 'x-real-ip': '198.51.100.7', host: 'x' },
      socket: { remoteAddress: '::ffff:192.0.2.44', remotePort: 51234 },
    } as unknown as IncomingMessage;
    const serialized = serialize.req!(req);
    expect(serialized).toMatchObject({
      remoteAddress: '192.0.2.0/24',
      headers: { 'x-forwarded-for': '203.0.113.0/24, 2001:db8:1234::/48, -', 'x-real-ip': '198.51.100.0/24', host: 'x' },
    });
    const line = JSON.stringify(serialized);
    for (const address of ['203.0.113.5', '5678::9', '198.51.100.7', '192.0.2.44']) expect(line).not.toContain(address);
  });

  it('keeps probes and scrapes out of the request log', () => {
    const ignore = (createHttpLoggerOptions(config).autoLogging as { ignore: (req: IncomingMessage) => boolean })
      .ignore;
    const get = (url: string, method = 'GET') => ({ method, url, headers: {} }) as IncomingMessage;
    expect(ignore(get('/health/live'))).toBe(true);
    expect(ignore(get('/health/ready?verbose=1'))).toBe(true);
    expect(ignore(get('/metrics'))).toBe(true);
    expect(ignore(get('/v1/tokens'))).toBe(false);
    expect(ignore(get('/metrics', 'POST'))).toBe(false);
  });

  it('logs nothing at level silent', () => {
    const written: string[] = [];
    const logger = pino(createPinoOptions({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }), {
      write: (l: string) => void written.push(l),
    });
    logger.error('nope');
    expect(written).toEqual([]);
  });
});
