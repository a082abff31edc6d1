import type { CookieSerializeOptions } from '@fastify/cookie';
import type { CustosConfig } from '@custos/runtime';
import type { FastifyReply } from 'fastify';

export const SESSION_COOKIE = 'custos_session';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The session cookie's attributes, the same for setting and for clearing it: a browser only replaces
 * a cookie with one of the same name, path and domain, and the clearing header should be no weaker
 * than the cookie it clears.
 */
type CookieConfig = Pick<CustosConfig, 'CUSTOS_COOKIE_SECURE' | 'NODE_ENV'>;

function sessionCookieOptions(config: CookieConfig): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.CUSTOS_COOKIE_SECURE ?? config.NODE_ENV === 'production',
    path: '/',
  };
}

export function setSessionCookie(reply: FastifyReply, config: CookieConfig, token: string, expiresAt: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, { ...sessionCookieOptions(config), expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, config: CookieConfig): void {
  void reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(config));
}
