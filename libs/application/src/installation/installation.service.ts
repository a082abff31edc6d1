import { Inject, Injectable } from '@nestjs/common';
import { Database, InstallationRepository, isTenantIdShape } from '@custos/persistence';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';

export type InstallationReads = Pick<InstallationRepository, 'operatorTenantId' | 'firstTenantId' | 'tenantExists'>;

/** What this installation is made of, for what spans its tenants (the queue dashboard, the worker's jobs). */
@Injectable()
export class InstallationService {
  private operator: string | null;

  constructor(
    private readonly db: Database,
    @Inject(APPLICATION_SETTINGS) private readonly settings: ApplicationSettings,
    @Inject(InstallationRepository) private readonly installation: InstallationReads,
  ) {
    this.operator = settings.operatorTenantId ?? null;
  }

  /**
   * The tenant whose owners and admins run the installation: CUSTOS_OPERATOR_TENANT_ID, else the one
   * bootstrapped from CUSTOS_ADMIN_EMAIL, else in embedded mode the first tenant; never a self-signup
   * otherwise. Null: nobody. Once named it never changes, so it is kept.
   */
  async operatorTenantId(): Promise<string | null> {
    if (this.operator) return this.operator;
    this.operator = await this.db.system(
      async (tx) =>
        (await this.installation.operatorTenantId(tx)) ?? (this.settings.firstSignupRunsInstallation ? await this.installation.firstTenantId(tx) : null),
    );
    return this.operator;
  }

  /** Whether this database has the tenant; a job naming another belongs to some other installation. */
  async knowsTenant(tenantId: unknown): Promise<boolean> {
    if (!isTenantIdShape(tenantId)) return false;
    return this.db.tenant(tenantId, (tx) => this.installation.tenantExists(tx));
  }
}
