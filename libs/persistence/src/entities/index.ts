import { AuditEventEntity, AuditHeadEntity } from './audit-event.entity';
import { ServiceEntity } from './service.entity';
import { TenantEntity, TenantPolicyEntity } from './tenant.entity';
import { TokenEntity } from './token.entity';
import { SessionEntity, UserEntity } from './user.entity';

export type { JwkObject } from './service.entity';
export { AuditEventEntity, AuditHeadEntity, ServiceEntity, TenantEntity, TenantPolicyEntity, TokenEntity, SessionEntity, UserEntity };
export const ENTITIES = [
  TenantEntity, TenantPolicyEntity, UserEntity, SessionEntity, ServiceEntity, TokenEntity, AuditEventEntity, AuditHeadEntity,
];
