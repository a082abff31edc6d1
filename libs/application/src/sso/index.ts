export * from './oidc-relying-party';
export * from './sso-config.service';
export * from './sso-sign-in.service';
export * from './sso.module';
