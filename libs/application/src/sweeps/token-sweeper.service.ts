import { Inject, Injectable, Logger } from '@nestjs/common';
import { Database, TokenSweepRepository } from '@custos/persistence';
import type { DueTokenSweep, SweepKind } from './due-token-sweep';
import { ConsentEndSweep } from './consent-end.sweep';
import { ExpireSweep, GraceEndSweep } from './expiry.sweeps';
import { ExpiryNoticeSweep } from './expiry-notice.sweep';
import { RotationSweep } from './rotation.sweep';
import { UnusedTokenSweep } from './unused-token.sweep';

/** What finding tenants with due work asks of the database. */
export type DueTenantReads = Pick<TokenSweepRepository, 'tenantsWithDueTokens'>;

/** Tenants handled per sweep run; the next run picks up any beyond. */
const TENANTS_PER_RUN = 1000;

/** A sweep that finished every tenant it could, and failed in these (the job fails, to be retried). */
export class TenantSweepsFailed extends Error {
  constructor(
    readonly kind: SweepKind,
    readonly failures: ReadonlyArray<{ tenantId: string; error: unknown }>,
    readonly handled: number,
  ) {
    super(
      `${kind} sweep failed in ${failures.length} tenant(s) (${failures.map((f) => f.tenantId).join(', ')}) after handling ${handled} ` +
        `row(s) in the others; first cause: ${failures[0]?.error instanceof Error ? failures[0].error.message : String(failures[0]?.error)}`,
      { cause: failures[0]?.error },
    );
    this.name = 'TenantSweepsFailed';
  }
}

/**
 * Runs one kind of sweep over every tenant with due work: the database names the tenants (one index
 * probe each), then each tenant's rows go in batches, one transaction per batch, until none is due.
 * A tenant whose batch fails is left for the next run and never holds up the others: one tenant's bad
 * row must not stop expiry or rotation for every tenant.
 */
@Injectable()
export class TokenSweeper {
  private readonly logger = new Logger(TokenSweeper.name);
  private readonly sweeps: Record<SweepKind, DueTokenSweep>;

  constructor(
    private readonly db: Database,
    expire: ExpireSweep,
    graceEnd: GraceEndSweep,
    rotate: RotationSweep,
    expiryNotice: ExpiryNoticeSweep,
    unused: UnusedTokenSweep,
    consentEnd: ConsentEndSweep,
    @Inject(TokenSweepRepository) private readonly tokens: DueTenantReads,
  ) {
    this.sweeps = { expire, grace_end: graceEnd, rotate, expiry_notice: expiryNotice, unused, consent_end: consentEnd };
  }

  async sweep(kind: SweepKind, batchSize?: number): Promise<number> {
    const sweep = this.sweeps[kind];
    const limit = batchSize ?? sweep.batchSize;
    const tenants = await this.db.system(async (tx) =>
      sweep.discoverTenants
        ? (await sweep.discoverTenants(tx, TENANTS_PER_RUN)).map((r) => r.t)
        : this.tokens.tenantsWithDueTokens(tx, kind, TENANTS_PER_RUN),
    );
    let total = 0;
    const failures: Array<{ tenantId: string; error: unknown }> = [];
    for (const t of tenants) {
      try {
        for (;;) {
          const done = await this.db.tenant(t, (tx) => sweep.batch(tx, limit));
          total += done;
          if (done < limit) break;
        }
      } catch (error) {
        this.logger.error({ err: error, tenantId: t, sweep: kind }, 'sweep failed in a tenant; going on with the others');
        failures.push({ tenantId: t, error });
      }
    }
    if (failures.length > 0) throw new TenantSweepsFailed(kind, failures, total);
    return total;
  }
}

export const TOKEN_SWEEPS = [ExpireSweep, GraceEndSweep, RotationSweep, ExpiryNoticeSweep, UnusedTokenSweep, ConsentEndSweep, TokenSweeper];
