import { SecretBox, TokenHasher } from '@custos/crypto';
import { withAppDatabase } from './app-database';
import { asOwner } from './database-probe';
import { application, persistence } from './heavy-libraries';

/**
 * Runs the worker's scheduled-rotation sweep, in this process, for one token made due now: the real
 * use cases with the test run's pepper and master key, so the shared api can hand the successor over.
 * Tests that need the worker process itself start one with `startWorker`.
 */
export async function rotateOnSchedule(tenantId: string, tokenId: string): Promise<void> {
  await asOwner((db) =>
    db.query(`UPDATE tokens SET next_rotation_at = now() - interval '1 second' WHERE tenant_id = $1 AND id = $2`, [tenantId, tokenId]),
  );
  const { AuditLog, AuditSealer, PolicyService, RotationSweep, SuccessorPickup, Stewards, TokenCache, TokenChanges, TokenIssuer } = await application();
  const { ActorRepository, AuditChainRepository, AuditEventRepository, PolicyRepository, RotationSweepRepository, StewardRepository, SuccessorPickupRepository, TokenRepository } =
    await persistence();
  await withAppDatabase(async (db) => {
    const sealer = new AuditSealer(db, new AuditChainRepository(), new AuditEventRepository());
    const audit = new AuditLog(sealer, new AuditEventRepository(), new AuditChainRepository());
    const hasher = TokenHasher.fromConfig({ currentId: 'test1', currentSecret: process.env.CUSTOS_TEST_PEPPER!, previous: [] });
    const cache = new TokenCache({ verifyCacheTtlMs: 0, sessionTtlSeconds: 1, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 });
    const tokens = new TokenRepository();
    const issuer = new TokenIssuer(db, audit, hasher, new PolicyService(db, audit, new TokenChanges(cache), new PolicyRepository()), new TokenChanges(cache), tokens, new ActorRepository(), new Stewards(new StewardRepository()));
    const pickup = new SuccessorPickup(db, audit, hasher, new SecretBox(process.env.CUSTOS_TEST_MASTER_KEY!), tokens, new SuccessorPickupRepository());
    const rotated = await db.tenant(tenantId, (tx) => new RotationSweep(issuer, pickup, audit, new RotationSweepRepository()).batch(tx, 1));
    if (rotated !== 1) throw new Error(`expected to rotate ${tokenId}, rotated ${rotated}`);
    await sealer.drain();
  });
}
