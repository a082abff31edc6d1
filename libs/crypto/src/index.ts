export * from './token-hasher';
export * from './password-hasher';
export * from './digest';
export * from './public-jwk';
export * from './secret-box';
export * from './webhook-signature';
export * from './signing-keys';
export * from './detached-jws';
