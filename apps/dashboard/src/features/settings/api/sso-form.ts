import type { SsoConfig, SsoRequest } from './sso.queries';

export type SsoRole = SsoRequest['defaultRole'];

export interface SsoMappingRow {
  value: string;
  role: SsoRole;
}

/** The SSO settings as the form holds them: the mapping as rows, the secret empty unless it is being replaced. */
export interface SsoFormValues {
  issuer: string;
  clientId: string;
  clientSecret: string;
  roleClaim: string;
  mapping: SsoMappingRow[];
  defaultRole: SsoRole;
  enforce: boolean;
}

export function ssoValuesOf(config: SsoConfig | null): SsoFormValues {
  if (!config) return { issuer: '', clientId: '', clientSecret: '', roleClaim: 'groups', mapping: [], defaultRole: 'viewer', enforce: false };
  return {
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: '',
    roleClaim: config.roleClaim ?? '',
    mapping: Object.entries(config.roleMapping).map(([value, role]) => ({ value, role: role as SsoRole })),
    defaultRole: config.defaultRole,
    enforce: config.enforce,
  };
}

/** The PUT body: an empty secret is left out (the saved one stays), an empty role claim is none. */
export function toSsoRequest(values: SsoFormValues): SsoRequest {
  const roleClaim = values.roleClaim.trim();
  return {
    issuer: values.issuer.trim(),
    clientId: values.clientId.trim(),
    ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}),
    roleClaim: roleClaim === '' ? null : roleClaim,
    roleMapping: Object.fromEntries(values.mapping.filter((row) => row.value.trim() !== '').map((row) => [row.value.trim(), row.role])) as SsoRequest['roleMapping'],
    defaultRole: values.defaultRole,
    enforce: values.enforce,
  };
}

/** What the form can say before the API does; `secretSaved`: a secret is on file, so it may stay empty. */
export function validateSso(values: SsoFormValues, secretSaved: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^https?:\/\/\S+$/.test(values.issuer.trim())) errors.issuer = 'Enter the issuer URL, e.g. https://login.example.com';
  if (values.clientId.trim() === '') errors.clientId = 'Enter the client id the IdP gave Custos';
  if (!secretSaved && values.clientSecret === '') errors.clientSecret = 'Enter the client secret';
  const seen = new Set<string>();
  values.mapping.forEach((row, index) => {
    const value = row.value.trim();
    if (value === '') errors[`mapping.${index}.value`] = 'Enter a claim value';
    else if (seen.has(value)) errors[`mapping.${index}.value`] = 'This value is mapped already';
    seen.add(value);
  });
  if (values.mapping.length > 0 && values.roleClaim.trim() === '') errors.roleClaim = 'Name the claim whose values are mapped';
  return errors;
}
