import type { CreatedVia, Role, SessionRestriction } from '@custos/contracts';
import type { AuthPolicy } from '@custos/domain';

/** What a person's session knows about their second factor, for step-up and for what the session may do. */
export interface SessionFacts {
  /** The person has a second factor enrolled. */
  hasMfa: boolean;
  /** When this session last passed an MFA check; null if never. */
  mfaAt: Date | null;
  /** What the session must do before anything else, if anything. */
  restriction: SessionRestriction | null;
  policy: AuthPolicy;
}

/** Who is acting: a signed-in person (session) or a service presenting a service key. */
export interface Principal {
  tenantId: string;
  kind: 'user' | 'service_key';
  /** usr_… for people, tok_… for service keys. */
  id: string;
  /** A person's e-mail; null for a service key. What the caller's own changes show as their author. */
  email: string | null;
  /** A service key's name to show: its service's, or the key's own when it belongs to no service; null for a person. */
  name: string | null;
  scopes: readonly string[];
  role: Role | null;
  /** For a service key: the service that owns it. */
  ownerServiceId: string | null;
  sessionId: string | null;
  /** For a person signed in with a session cookie. */
  session?: SessionFacts;
}

/** Per-request facts that go into audit events. */
export interface RequestMeta {
  requestId: string | null;
  ip: string | null;
  /** The browser's User-Agent, for a session's device; absent outside HTTP. */
  userAgent?: string | null;
}

export function createdVia(principal: Principal): CreatedVia {
  return principal.kind === 'user' ? 'dashboard' : 'api';
}
