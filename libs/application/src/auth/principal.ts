import type { CreatedVia, Role } from '@custos/contracts';

/** Who is acting: a signed-in person (session) or a service presenting a service key. */
export interface Principal {
  tenantId: string;
  kind: 'user' | 'service_key';
  /** usr_… for people, tok_… for service keys. */
  id: string;
  scopes: readonly string[];
  role: Role | null;
  /** For a service key: the service that owns it. */
  ownerServiceId: string | null;
  sessionId: string | null;
}

/** Per-request facts that go into audit events. */
export interface RequestMeta {
  requestId: string | null;
  ip: string | null;
}

export function createdVia(principal: Principal): CreatedVia {
  return principal.kind === 'user' ? 'dashboard' : 'api';
}
