import type { Tx } from '@custos/persistence';

/** The kinds of due work the worker sweeps; each has its own tenant discovery in the database. */
export type SweepKind = 'expire' | 'grace_end' | 'rotate' | 'expiry_notice' | 'unused' | 'consent_end';

/**
 * One kind of periodic work over indexed due dates. A batch runs inside one tenant's transaction,
 * claims its rows with FOR UPDATE SKIP LOCKED, changes them and writes their audit events in that
 * transaction, and returns how many it handled; a row it handled no longer matches, so a retried or
 * concurrent sweep never handles it twice.
 */
export interface DueTokenSweep {
  readonly kind: SweepKind;
  /** Rows per transaction: small where each row costs real work (a rotation), large where it is one UPDATE. */
  readonly batchSize: number;
  batch(tx: Tx, limit: number): Promise<number>;
  /** Tenants with due work, when not found by custos_tenants_with_due_tokens(kind). */
  discoverTenants?(tx: Tx, limit: number): Promise<Array<{ t: string }>>;
}

/** Sweeps act as the system, outside any request. */
export const SWEEP_META = { requestId: null, ip: null };
