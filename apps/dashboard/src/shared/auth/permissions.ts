import { useMe } from '../../features/session/api/session.queries';

/**
 * The Custos scopes a page may check before offering an action. The API refuses anything the role
 * lacks anyway; hiding what would be refused keeps auditors and viewers on a read-only dashboard.
 */
export type Permission =
  | 'custos:tokens:issue'
  | 'custos:tokens:read'
  | 'custos:tokens:update'
  | 'custos:tokens:rotate'
  | 'custos:tokens:revoke'
  | 'custos:consents:read'
  | 'custos:consents:write'
  | 'custos:services:read'
  | 'custos:services:write'
  | 'custos:users:read'
  | 'custos:users:write'
  | 'custos:policy:read'
  | 'custos:policy:write'
  | 'custos:audit:read'
  | 'custos:webhooks:read'
  | 'custos:webhooks:write'
  | 'custos:reports:read'
  | 'custos:reports:write'
  | 'custos:usage:read'
  | 'custos:alerts:read'
  | 'custos:alerts:write'
  | 'custos:reviews:read'
  | 'custos:reviews:decide'
  | 'custos:reviews:write';

export function hasPermission(scopes: readonly string[] | undefined, permission: Permission): boolean {
  return scopes?.includes(permission) ?? false;
}

/** `can('custos:tokens:revoke')` for the signed-in user. */
export function useCan(): (permission: Permission) => boolean {
  const me = useMe();
  return (permission) => hasPermission(me.data?.scopes, permission);
}
