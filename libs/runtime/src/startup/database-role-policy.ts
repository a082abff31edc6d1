import type { LoginRole } from '@custos/persistence';
import type { CustosConfig } from '../config/custos-config';

export type RoleVerdict =
  | { action: 'accept' }
  /** Start, and say why this login is acceptable here. */
  | { action: 'note'; message: string }
  /** Start, loudly. */
  | { action: 'warn'; message: string }
  | { action: 'refuse'; message: string };

type RolePolicyConfig = Pick<CustosConfig, 'NODE_ENV' | 'CUSTOS_ALLOW_SUPERUSER_DB' | 'CUSTOS_EMBEDDED_DATABASE'>;

/**
 * Row-level security isolates tenants for custos_app. A login that is superuser or BYPASSRLS would see
 * every tenant's rows the moment a transaction did not switch to custos_app, so isolation would rest on
 * that one switch: acceptable for the embedded database (only the account that runs it can reach it),
 * worth a warning in development, refused in production unless the operator says otherwise.
 */
export function judgeLoginRole(login: LoginRole, config: RolePolicyConfig): RoleVerdict {
  const powers = [login.superuser && 'superuser', login.bypassRls && 'BYPASSRLS'].filter(Boolean).join(' and ');
  if (!powers) {
    if (login.memberOfAppRole) return { action: 'accept' };
    return {
      action: 'refuse',
      message: `DATABASE_URL logs in as "${login.name}", which is not a member of custos_app, so no transaction could run: GRANT custos_app TO "${login.name}" (docs/operations.md).`,
    };
  }
  if (config.CUSTOS_EMBEDDED_DATABASE) {
    return {
      action: 'note',
      message:
        `embedded database: connected as its ${powers} "${login.name}", as PGlite allows nothing else; acceptable here because ` +
        'only the account running Custos can reach it. Tenant isolation rests on every transaction switching to custos_app.',
    };
  }
  const risk =
    `DATABASE_URL logs in as "${login.name}", a ${powers} role: row-level security does not bind it, so tenant isolation rests ` +
    'on every transaction switching to custos_app. Log in as a role that is only a member of custos_app (docs/operations.md).';
  if (config.NODE_ENV === 'production' && !config.CUSTOS_ALLOW_SUPERUSER_DB) {
    return { action: 'refuse', message: `${risk} Refusing to start with NODE_ENV=production; set CUSTOS_ALLOW_SUPERUSER_DB=true to start anyway.` };
  }
  return { action: 'warn', message: risk };
}
