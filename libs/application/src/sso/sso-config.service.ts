import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, ROLES, type Role } from '@custos/contracts';
import { DomainError, assertCanAssignRole } from '@custos/domain';
import { SecretBox } from '@custos/crypto';
import { Database, SsoRepository, TenantRepository, type SsoConfig, type SsoTestOutcome } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { assertSteppedUp } from '../auth/step-up';
import { requireScope } from '../shared/require-scope';
import { OIDC_RELYING_PARTY, OidcFailure, type OidcRelyingParty } from './oidc-relying-party';

/** How a tenant's IdP client secret is sealed (SecretBox); the context is the tenant id. */
export const SSO_CLIENT_SECRET_PURPOSE = 'sso-client-secret';

export const SSO_LIMITS = { issuer: 2048, clientId: 512, clientSecret: 4096, roleClaim: 200, mappingEntries: 50, mappingValue: 200 } as const;

export interface SsoConfigInput {
  issuer: string;
  clientId: string;
  /** Left out: the secret saved before stays (only while issuer and client id stay the same). */
  clientSecret?: string;
  roleClaim?: string | null;
  roleMapping: Record<string, Role>;
  defaultRole: Role;
  enforce: boolean;
}

/** The configuration as the API shows it: never the secret, only that one is set. */
export interface SsoConfigView {
  issuer: string;
  clientId: string;
  clientSecretSet: true;
  roleClaim: string | null;
  roleMapping: Record<string, Role>;
  defaultRole: Role;
  enforce: boolean;
  breakGlassUserId: string | null;
  updatedAt: string;
  updatedBy: string;
  lastTest: SsoTestOutcome | null;
}

/** What GET /v1/sso answers: the configuration if any, and what an admin needs before there is one. */
export interface SsoOverview {
  config: SsoConfigView | null;
  /** What people type at "Sign in with SSO". */
  tenantSlug: string;
}

export function toSsoConfigView(c: SsoConfig): SsoConfigView {
  return {
    issuer: c.issuer,
    clientId: c.clientId,
    clientSecretSet: true,
    roleClaim: c.roleClaim,
    roleMapping: c.roleMapping,
    defaultRole: c.defaultRole,
    enforce: c.enforce,
    breakGlassUserId: c.breakGlassUserId,
    updatedAt: c.updatedAt.toISOString(),
    updatedBy: c.updatedBy,
    lastTest: c.lastTest,
  };
}

/**
 * A tenant's single sign-on: owners and admins configure it (custos:policy:write, with a fresh MFA check
 * when they have MFA). Nobody maps IdP claims to a role stronger than their own. The issuer is checked by
 * OIDC discovery before anything is saved. Enforcing SSO takes an owner, who becomes the break-glass
 * owner: the one person whose password still signs in.
 */
@Injectable()
export class SsoConfigService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly box: SecretBox,
    @Inject(SsoRepository) private readonly sso: Pick<SsoRepository, 'get' | 'lock' | 'put' | 'delete'>,
    @Inject(TenantRepository) private readonly tenants: Pick<TenantRepository, 'current'>,
    @Inject(OIDC_RELYING_PARTY) private readonly rp: Pick<OidcRelyingParty, 'discover'>,
  ) {}

  async get(principal: Principal): Promise<SsoOverview> {
    requireScope(principal, 'custos:policy:read');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const [config, tenant] = await Promise.all([this.sso.get(tx), this.tenants.current(tx)]);
      return { config: config ? toSsoConfigView(config) : null, tenantSlug: tenant.slug };
    });
  }

  async put(principal: Principal, input: SsoConfigInput, meta: RequestMeta): Promise<SsoOverview> {
    requireScope(principal, 'custos:policy:write');
    assertSteppedUp(principal);
    validate(input);
    for (const role of new Set([input.defaultRole, ...Object.values(input.roleMapping)])) assertCanAssignRole(principal, role);
    const isOwner = principal.kind === 'user' && principal.role === 'owner';

    const existing = await this.db.tenant(principal.tenantId, (tx) => this.sso.get(tx));
    const sameClient = existing !== null && existing.issuer === input.issuer && existing.clientId === input.clientId;
    if (input.clientSecret === undefined && !sameClient) {
      throw DomainError.validation([{ field: 'clientSecret', message: 'is required for a new issuer or client id' }]);
    }
    const clientSecret = input.clientSecret ?? this.box.open(SSO_CLIENT_SECRET_PURPOSE, principal.tenantId, existing!.clientSecretSealed);
    if (input.enforce && !isOwner && !(existing?.enforce && existing.breakGlassUserId)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only an owner can enforce single sign-on: they become the break-glass owner whose password still works.');
    }
    // Network I/O before the transaction: no connection is held while the IdP answers.
    try {
      await this.rp.discover({ issuer: input.issuer, clientId: input.clientId, clientSecret });
    } catch (error) {
      if (!(error instanceof OidcFailure)) throw error;
      throw DomainError.validation([{ field: 'issuer', message: `OIDC discovery failed: ${error.reason}` }]);
    }

    return this.db.tenant(principal.tenantId, async (tx) => {
      const before = await this.sso.lock(tx);
      const breakGlassUserId = input.enforce ? (isOwner ? principal.id : before?.breakGlassUserId ?? null) : null;
      if (input.enforce && !breakGlassUserId) {
        throw new DomainError(ErrorCode.FORBIDDEN, 'Only an owner can enforce single sign-on: they become the break-glass owner whose password still works.');
      }
      const config: Omit<SsoConfig, 'lastTest'> = {
        issuer: input.issuer,
        clientId: input.clientId,
        clientSecretSealed: this.box.seal(SSO_CLIENT_SECRET_PURPOSE, principal.tenantId, clientSecret),
        roleClaim: input.roleClaim ?? null,
        roleMapping: { ...input.roleMapping },
        defaultRole: input.defaultRole,
        enforce: input.enforce,
        breakGlassUserId,
        updatedAt: new Date(),
        updatedBy: principal.id,
      };
      await this.sso.put(tx, config);
      await this.audit.record(tx, meta, {
        action: 'sso.configured',
        actor: actorOf(principal),
        target: { type: 'tenant', id: principal.tenantId },
        data: {
          issuer: config.issuer,
          clientId: config.clientId,
          secretChanged: input.clientSecret !== undefined,
          roleClaim: config.roleClaim,
          roleMapping: config.roleMapping,
          defaultRole: config.defaultRole,
          enforce: config.enforce,
          breakGlassUserId,
          ...(before ? { before: { issuer: before.issuer, clientId: before.clientId, enforce: before.enforce, defaultRole: before.defaultRole } } : {}),
        },
      });
      const [saved, tenant] = await Promise.all([this.sso.get(tx), this.tenants.current(tx)]);
      return { config: toSsoConfigView(saved!), tenantSlug: tenant.slug };
    });
  }

  async remove(principal: Principal, meta: RequestMeta): Promise<void> {
    requireScope(principal, 'custos:policy:write');
    assertSteppedUp(principal);
    await this.db.tenant(principal.tenantId, async (tx) => {
      const before = await this.sso.lock(tx);
      if (!before) throw DomainError.notFound('The single sign-on configuration');
      // Removing a mapping that hands out a role is acting on that role: the same rule as configuring it.
      for (const role of new Set([before.defaultRole, ...Object.values(before.roleMapping)])) assertCanAssignRole(principal, role);
      await this.sso.delete(tx);
      await this.audit.record(tx, meta, {
        action: 'sso.removed',
        actor: actorOf(principal),
        target: { type: 'tenant', id: principal.tenantId },
        data: { issuer: before.issuer, clientId: before.clientId, enforce: before.enforce },
      });
    });
  }
}

/** What the DTO cannot say: the issuer's shape and the mapping's entries. */
function validate(input: SsoConfigInput): void {
  const problems: { field: string; message: string }[] = [];
  let issuer: URL | null = null;
  try {
    issuer = new URL(input.issuer);
  } catch {
    problems.push({ field: 'issuer', message: 'must be an absolute https URL' });
  }
  if (issuer) {
    if (issuer.protocol !== 'https:' && issuer.protocol !== 'http:') problems.push({ field: 'issuer', message: 'must be an absolute https URL' });
    else if (issuer.username || issuer.password) problems.push({ field: 'issuer', message: 'must not contain a user name or password' });
    else if (issuer.search || issuer.hash) problems.push({ field: 'issuer', message: 'must not have a query or fragment' });
  }
  const entries = Object.entries(input.roleMapping);
  if (entries.length > SSO_LIMITS.mappingEntries) problems.push({ field: 'roleMapping', message: `must have at most ${SSO_LIMITS.mappingEntries} entries` });
  for (const [value, role] of entries) {
    if (value.length < 1 || value.length > SSO_LIMITS.mappingValue) problems.push({ field: 'roleMapping', message: `claim values must be 1 to ${SSO_LIMITS.mappingValue} characters` });
    if (!(ROLES as readonly string[]).includes(role)) problems.push({ field: `roleMapping.${value}`, message: `must be one of ${ROLES.join(', ')}` });
  }
  if (entries.length > 0 && !input.roleClaim) problems.push({ field: 'roleClaim', message: 'is required when roleMapping has entries' });
  if (problems.length > 0) throw DomainError.validation(problems);
}
