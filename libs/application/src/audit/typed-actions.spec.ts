import {
  AUDIT_ACTIONS,
  ErrorCode,
  WEBHOOK_EVENT_OF_AUDIT_ACTION,
  webhookEventOf,
  type AuditAction,
  type WebhookEventTable,
} from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { Principal } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { SYSTEM_ACTOR, type AuditEntry } from './audit-log';

// Each `@ts-expect-error` below is the test: `npm run typecheck` fails if the compiler ever accepts the
// misspelling on the next line (an unused directive is an error). The runtime expectations show what
// the typo would have done had it compiled.

const viewer: Principal = {
  tenantId: 'ten_1',
  kind: 'service_key',
  id: 'tok_1',
  email: null,
  name: null,
  scopes: ['custos:tokens:read'],
  role: null,
  ownerServiceId: null,
  sessionId: null,
};

describe('audit actions, webhook events and custos scopes are checked by the compiler', () => {
  it('refuses a misspelt audit action', () => {
    // @ts-expect-error 'token.revoked' is not an AuditAction
    const entry: AuditEntry = { action: 'token.revokd', actor: SYSTEM_ACTOR };
    expect((AUDIT_ACTIONS as readonly string[]).includes(entry.action)).toBe(false);
  });

  it('refuses a misspelt audit action or event in the webhook table', () => {
    // @ts-expect-error the table is keyed by AuditAction: a typo would announce nothing
    const misspeltAction = { 'token.revokd': 'token.revoked' } satisfies WebhookEventTable;
    // @ts-expect-error its values are WebhookEventType
    const misspeltEvent = { 'token.revoked': 'token.revokd' } satisfies WebhookEventTable;
    expect(webhookEventOf(Object.keys(misspeltAction)[0] as AuditAction)).toBeUndefined();
    expect(Object.values(WEBHOOK_EVENT_OF_AUDIT_ACTION)).not.toContain(misspeltEvent['token.revoked']);
  });

  it('keys the webhook table by audit actions that exist', () => {
    const actions: readonly string[] = AUDIT_ACTIONS;
    expect(Object.keys(WEBHOOK_EVENT_OF_AUDIT_ACTION).filter((a) => !actions.includes(a))).toEqual([]);
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    expect(webhookEventOf('token.suspended_unused')).toBe('token.suspended');
    expect(webhookEventOf('token.issued')).toBeUndefined();
  });

  it('refuses a misspelt custos scope', () => {
    // @ts-expect-error 'custos:tokens:reed' is not a CustosScope
    const check = (): void => requireScope(viewer, 'custos:tokens:reed');
    expect(check).toThrow(new DomainError(ErrorCode.FORBIDDEN, 'This needs the custos:tokens:reed permission.'));
    expect(() => requireScope(viewer, 'custos:tokens:read')).not.toThrow();
  });
});
