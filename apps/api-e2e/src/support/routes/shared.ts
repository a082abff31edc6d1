import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '@custos/testing';
import type { Fixture, NotApplicable, RequestContext, RouteSpec, SuccessPrincipal } from './route-spec';

/** Helpers and objects that routes of several features share. */

export const tag = (): string => randomUUID().slice(0, 8);

export function fixtureOf(c: RequestContext): Fixture {
  if (!c.fixture) throw new Error('this route declares no object');
  return c.fixture;
}

export interface Page<T> {
  items: T[];
}
export const ids = (body: unknown): string[] => (body as Page<{ id: string }>).items.map((item) => item.id);

export const NO_BODY: NotApplicable = { notApplicable: 'takes no body and no query' };
export const CREATES_ONLY: NotApplicable = { notApplicable: "creates in the caller's own tenant and names no existing object" };

export const TOKEN: RouteSpec['object'] = { kind: 'token', make: (w) => w.newToken() };
export const SERVICE: RouteSpec['object'] = { kind: 'service', make: (w) => w.newService() };
export const MEMBER: RouteSpec['object'] = { kind: 'user', make: (w) => w.newUser('viewer') };
export const WEBHOOK: RouteSpec['object'] = { kind: 'webhook', make: (w) => w.newWebhook() };
export const CONSENT: RouteSpec['object'] = { kind: 'consent', make: (w) => w.newConsent() };
/** A signed checkpoint of A; it also means A has its signing key, so signing again makes no key. */
export const CHECKPOINT: RouteSpec['object'] = { kind: 'checkpoint', make: (w) => w.newCheckpoint() };
/** A consent of A with one token bound to it, which a withdrawal must revoke. */
export const CONSENT_WITH_TOKEN: RouteSpec['object'] = {
  kind: 'consent',
  async make(w) {
    const consent = await w.newConsent();
    await w.newToken({ consentId: consent.id, dataCategories: ['personal'] });
    return consent;
  },
};
/** A webhook subscribed to token.revoked, after a revocation in A: it has one delivery. */
export const WEBHOOK_WITH_DELIVERY: RouteSpec['object'] = {
  kind: 'webhook',
  async make(w) {
    const webhook = await w.newWebhook({ events: ['token.revoked'] });
    const token = await w.newToken();
    const res = await w.a.owner.post(`/v1/tokens/${token.id}/revoke`, { reason: 'a delivery for the route security suite' });
    if (res.status !== 200) throw new Error(`revoke failed: ${res.status} ${JSON.stringify(res.body)}`);
    return webhook;
  },
};
/** WEBHOOK_WITH_DELIVERY, its delivery's id as the `:deliveryId` path parameter. */
export const WEBHOOK_DELIVERY: RouteSpec['object'] = {
  kind: 'webhook',
  async make(w) {
    const webhook = await WEBHOOK_WITH_DELIVERY!.make(w);
    const res = await w.aKey.get<Page<{ id: string }>>(`/v1/webhooks/${webhook.id}/deliveries`);
    const [delivery] = res.status === 200 ? res.body.items : [];
    if (!delivery) throw new Error(`no delivery to re-send: ${res.status} ${JSON.stringify(res.body)}`);
    return { ...webhook, params: { deliveryId: delivery.id } };
  },
};
/** A token the request may legitimately resume. */
export const SUSPENDED_TOKEN: RouteSpec['object'] = {
  kind: 'token',
  async make(w) {
    const token = await w.newToken();
    const res = await w.a.owner.post(`/v1/tokens/${token.id}/suspend`, {});
    if (res.status !== 200) throw new Error(`suspend failed: ${res.status} ${JSON.stringify(res.body)}`);
    return token;
  },
};

export const BOTH: readonly SuccessPrincipal[] = ['scoped-key', 'role-session'];

export function hasSessionCookie(res: ApiResponse<unknown>): void {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('custos_session='));
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
}
