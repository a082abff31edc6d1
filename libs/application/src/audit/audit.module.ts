import { Module } from '@nestjs/common';
import { AuditCheckpoints } from './audit-checkpoints';
import { AuditExport } from './audit-export';
import { AuditLog } from './audit-log';
import { AuditQuery } from './audit-query';
import { AuditSealer } from './audit-sealer';
import { SigningKeys } from './signing-keys';

const AUDIT = [AuditSealer, AuditLog, SigningKeys, AuditCheckpoints, AuditQuery, AuditExport];

/** The audit chain: what every other feature writes its events through, and its checkpoints and exports. */
@Module({ providers: AUDIT, exports: AUDIT })
export class AuditModule {}
