import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from './session-cookie';

/** The attributes of a Set-Cookie header, without its value and expiry (which differ by design). */
function attributesOf(header: string): string[] {
  return header
    .split(';')
    .slice(1)
    .map((part) => part.trim())
    .filter((part) => !/^(expires|max-age)=/i.test(part))
    .sort();
}

describe('session cookie', () => {
  let app: FastifyInstance;

  async function appWith(config: { CUSTOS_COOKIE_SECURE: boolean | undefined; NODE_ENV: 'development' | 'test' | 'production' }) {
    app = Fastify();
    await app.register(fastifyCookie);
    app.post('/login', (_request, reply) => {
      setSessionCookie(reply, config, 'cus_session_value', new Date(Date.now() + 3_600_000));
      return reply.send({});
    });
    app.post('/logout', (_request, reply) => {
      clearSessionCookie(reply, config);
      return reply.code(204).send();
    });
    return app;
  }

  afterEach(() => app.close());

  async function setAndCleared(): Promise<[string, string]> {
    const set = (await app.inject({ method: 'POST', url: '/login' })).headers['set-cookie'];
    const cleared = (await app.inject({ method: 'POST', url: '/logout' })).headers['set-cookie'];
    expect(typeof set).toBe('string');
    expect(typeof cleared).toBe('string');
    return [set as string, cleared as string];
  }

  // Issue 12, finding 10: the clearing header lacked Secure, HttpOnly and SameSite.
  it('clears it with the attributes it was set with, Secure included, in production', async () => {
    await appWith({ CUSTOS_COOKIE_SECURE: undefined, NODE_ENV: 'production' });
    const [set, cleared] = await setAndCleared();
    expect(cleared.startsWith(`${SESSION_COOKIE}=;`)).toBe(true);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970 00:00:00 GMT/);
    expect(attributesOf(cleared)).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure']);
    expect(attributesOf(cleared)).toEqual(attributesOf(set));
  });

  it('follows CUSTOS_COOKIE_SECURE for both headers', async () => {
    await appWith({ CUSTOS_COOKIE_SECURE: false, NODE_ENV: 'production' });
    const [set, cleared] = await setAndCleared();
    expect(attributesOf(cleared)).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict']);
    expect(attributesOf(cleared)).toEqual(attributesOf(set));
  });
});
