import { AuditChainRepository, AuditEventRepository, type Database } from '@custos/persistence';
import { AuditLog } from '../audit/audit-log';
import { AuditSealer } from '../audit/audit-sealer';

/**
 * The audit log with its real repositories, for medium tests that build a use case by hand (Nest's
 * AuditModule wires the same in the apps). Await `sealer.drain()` before the file's pool closes.
 */
export function auditOn(db: Database): { audit: AuditLog; sealer: AuditSealer } {
  const chain = new AuditChainRepository();
  const events = new AuditEventRepository();
  const sealer = new AuditSealer(db, chain, events);
  return { audit: new AuditLog(sealer, events, chain), sealer };
}
