export * from './passkeys.module';
export * from './passkeys.service';
export * from './webauthn-ceremonies';
