import { SsoRepository } from './sso.repository';

export * from './sso.repository';

export const SSO_REPOSITORIES = [SsoRepository];
