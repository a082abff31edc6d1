import type { Client } from 'pg';
import { pollUntil } from './factories';
import { withPgClient } from './test-database';

/**
 * What an attacker with superuser access to the database can do to a tenant's audit trail, done as
 * they would: behind the append-only triggers, in one transaction, leaving a chain that verifies on its
 * own. `ownerUrl` is the database to do it in as its owner; the test run's by default.
 */
export interface Tampering {
  ownerUrl?: string;
}

const ownerUrlOf = (options: Tampering): string => options.ownerUrl ?? process.env.TEST_DATABASE_OWNER_URL!;

/** Runs `work` with the append-only triggers of the audit tables off, in one transaction, as the database owner. */
async function behindTheTriggers(options: Tampering, work: (db: Client) => Promise<void>): Promise<void> {
  await withPgClient(ownerUrlOf(options), async (db) => {
    await db.query('BEGIN');
    try {
      await db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
      await db.query('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only');
      await work(db);
      await db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
      await db.query('ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only');
      await db.query('COMMIT');
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    }
  });
}

/**
 * Deletes the tenant's audit events after `seq` and moves its chain head back to event `seq`: the chain
 * that is left is intact, only shorter. With `checkpointsToo`, the checkpoints that signed or recorded
 * anything after `seq` go too, so the database keeps no trace of the events cut.
 */
export async function cutAuditChain(tenantId: string, seq: number, options: Tampering & { checkpointsToo?: boolean } = {}): Promise<void> {
  // Everything sealed first: an event still pending would be sealed onto the moved head afterwards.
  await pollUntil(() => storedChain(tenantId, options), (chain) => chain.unsealed === 0);
  await behindTheTriggers(options, async (db) => {
    await db.query('DELETE FROM audit_events WHERE tenant_id = $1 AND seq > $2', [tenantId, seq]);
    if (options.checkpointsToo) {
      await db.query('DELETE FROM audit_checkpoints WHERE tenant_id = $1 AND event_seq > $2', [tenantId, seq]);
    }
    const moved = await db.query(
      `UPDATE audit_heads SET seq = $2, hash = (SELECT hash FROM audit_events WHERE tenant_id = $1 AND seq = $2) WHERE tenant_id = $1`,
      [tenantId, seq],
    );
    if (moved.rowCount !== 1) throw new Error(`tenant ${tenantId} has no chain head`);
  });
}

/** Overwrites the hash a stored checkpoint row claims, behind its trigger; its JWS is left as signed. */
export async function alterCheckpointHash(tenantId: string, checkpointId: string, hash: string, options: Tampering = {}): Promise<void> {
  await behindTheTriggers(options, async (db) => {
    const changed = await db.query('UPDATE audit_checkpoints SET hash = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, checkpointId, hash]);
    if (changed.rowCount !== 1) throw new Error(`no checkpoint ${checkpointId}`);
  });
}

/** The tenant's chain as stored: its head, and how many of its events are still unsealed. */
export async function storedChain(tenantId: string, options: Tampering = {}): Promise<{ headSeq: number; unsealed: number }> {
  return withPgClient(ownerUrlOf(options), async (db) => {
    const { rows } = await db.query<{ head_seq: string | null; unsealed: string }>(
      `SELECT (SELECT seq FROM audit_heads WHERE tenant_id = $1) AS head_seq,
              (SELECT count(*) FROM audit_events WHERE tenant_id = $1 AND seq IS NULL) AS unsealed`,
      [tenantId],
    );
    return { headSeq: Number(rows[0]!.head_seq ?? 0), unsealed: Number(rows[0]!.unsealed) };
  });
}
