import { ROLES, type Role } from '@custos/contracts';

/** How a tenant's IdP claims become a Custos role. */
export interface SsoRoleRule {
  /** The ID token claim holding the person's groups or roles (a string or a list of them); null: everyone gets defaultRole. */
  roleClaim: string | null;
  /** A claim value → the role it gives. */
  roleMapping: Readonly<Record<string, Role>>;
  defaultRole: Role;
}

/** The values of a claim as strings: one string, a list (non-strings dropped), anything else none. */
export function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * The role an SSO sign-in gives: of the claim's values that the mapping names, the strongest role
 * (owner, admin, operator, auditor, viewer in that order); none: the default role.
 */
export function ssoRoleOf(claims: Readonly<Record<string, unknown>>, rule: SsoRoleRule): Role {
  if (rule.roleClaim === null) return rule.defaultRole;
  const mapped = claimValues(claims[rule.roleClaim])
    .filter((value) => Object.prototype.hasOwnProperty.call(rule.roleMapping, value))
    .map((value) => rule.roleMapping[value]!);
  return ROLES.find((role) => mapped.includes(role)) ?? rule.defaultRole;
}

/**
 * A tenant's slug from its name: lower case, accents dropped, runs of anything but letters and digits become one dash,
 * at most 40 characters; "org" when nothing is left. The same rule as the migration that gave existing
 * tenants theirs; a taken slug gets a short random suffix (TenantRepository.insert).
 */
export function tenantSlugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'org' : slug;
}
