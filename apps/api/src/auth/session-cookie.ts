/// <reference types="@fastify/cookie" />
import type { CustosConfig } from '@custos/runtime';
import type { FastifyReply } from 'fastify';

export const SESSION_COOKIE = 'custos_session';
export const CSRF_HEADER = 'x-csrf-token';

export function setSessionCookie(reply: FastifyReply, config: CustosConfig, token: string, expiresAt: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.CUSTOS_COOKIE_SECURE ?? config.NODE_ENV === 'production',
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
