import { randomBytes } from 'node:crypto';
import { ROLE_SCOPES, type Role } from '@custos/contracts';
import { SecretBox, TokenHasher } from '@custos/crypto';
import { ActorRepository, PolicyRepository, StewardRepository, SuccessorPickupRepository, TokenRepository, type Database } from '@custos/persistence';
import { Stewards } from '../stewards/stewards';
import type { Principal, RequestMeta } from '../auth/principal';
import { PolicyService } from '../policy/policy.service';
import { auditOn } from './audit-on';
import { TokenCache } from '../verify/token-cache';
import { TokenChanges } from '../feed/token-changes';
import { SuccessorPickup } from '../tokens/successor-pickup';
import { TokenEditor } from '../tokens/token-editor.service';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { TokenLifecycle } from '../tokens/token-lifecycle.service';
import { TokenQuery } from '../tokens/token-query.service';

/**
 * The token use cases for medium tests (*.int-spec.ts): built as the api builds them, with their real
 * repositories on the given database, a pepper and master key of their own, and no cache lifetime.
 */
export function tokenUseCases(db: Database) {
  const { audit, sealer } = auditOn(db);
  const cache = new TokenChanges(new TokenCache({ verifyCacheTtlMs: 0, sessionTtlSeconds: 1, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 }));
  const hasher = TokenHasher.fromConfig({ currentId: 'test1', currentSecret: randomBytes(32).toString('base64url'), previous: [] });
  const tokens = new TokenRepository();
  const actors = new ActorRepository();
  const policies = new PolicyService(db, audit, cache, new PolicyRepository());
  const stewards = new Stewards(new StewardRepository());
  return {
    audit,
    sealer,
    tokens,
    issuer: new TokenIssuer(db, audit, hasher, policies, cache, tokens, actors, stewards),
    lifecycle: new TokenLifecycle(db, audit, cache, tokens, actors),
    editor: new TokenEditor(db, audit, cache, tokens, actors, policies, stewards),
    query: new TokenQuery(db, tokens, actors),
    pickup: new SuccessorPickup(db, audit, hasher, new SecretBox(randomBytes(32).toString('base64url')), tokens, new SuccessorPickupRepository()),
  };
}

/** The custos scopes of the token use cases: a service key that may do anything with tokens, and nothing else. */
export const TOKEN_ADMIN_SCOPES = [
  'custos:tokens:issue',
  'custos:tokens:read',
  'custos:tokens:update',
  'custos:tokens:rotate',
  'custos:tokens:revoke',
] as const;

/** A signed-in person of the tenant, with the scopes of their role. */
export function person(tenantId: string, role: Role): Principal {
  return { tenantId, kind: 'user', id: `usr_${role}`, email: null, name: null, scopes: ROLE_SCOPES[role], role, ownerServiceId: null, sessionId: 'ses_medium' };
}

/** A service key of the tenant. */
export function serviceKey(tenantId: string, scopes: readonly string[] = TOKEN_ADMIN_SCOPES): Principal {
  return { tenantId, kind: 'service_key', id: 'tok_caller', email: null, name: null, scopes, role: null, ownerServiceId: null, sessionId: null };
}

export const meta = (requestId = 'req-medium', ip: string | null = null): RequestMeta => ({ requestId, ip });
