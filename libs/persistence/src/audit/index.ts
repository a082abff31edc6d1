import { AuditChainRepository } from './audit-chain.repository';
import { AuditEventRepository } from './audit-event.repository';
import { SigningKeyRepository } from './signing-key.repository';

export * from './audit-chain.repository';
export * from './audit-event.repository';
export * from './audit-event-rows';
export * from './signing-key.repository';

export const AUDIT_REPOSITORIES = [AuditChainRepository, AuditEventRepository, SigningKeyRepository];
