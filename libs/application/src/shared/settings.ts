/** What the application layer needs from configuration; the composition root provides it. */
export interface ApplicationSettings {
  sessionTtlSeconds: number;
  verifyCacheTtlMs: number;
  usageFlushIntervalMs: number;
  /** Every log-in answer waits at least this long, so timing tells nothing about the account. */
  loginMinResponseMs: number;
  /** CUSTOS_OPERATOR_TENANT_ID: names the tenant that runs the installation, whatever the database says. */
  operatorTenantId?: string;
  /** Embedded mode: the first sign-up runs the installation (there is no CUSTOS_ADMIN_EMAIL bootstrap to name it). */
  firstSignupRunsInstallation?: boolean;
}

export const APPLICATION_SETTINGS = Symbol('APPLICATION_SETTINGS');
