import { Pool, type Client } from 'pg';

export interface TenantFootprint {
  tokens: number;
  services: number;
  users: number;
  sessions: number;
  auditEvents: number;
  auditHeadSeq: number;
  policyUpdatedAt: string | null;
  /** Live (not deleted) webhook endpoints. */
  webhooks: number;
  /** Webhook deliveries, whatever their status (attempts change rows, never their number). */
  webhookDeliveries: number;
  consents: number;
  consentVersions: number;
  withdrawnConsents: number;
  auditCheckpoints: number;
  signingKeys: number;
  alerts: number;
  /** Alerts no longer open (acknowledged or resolved). */
  answeredAlerts: number;
  accessReviews: number;
  /** Review items decided (or made overdue): what a decision writes. */
  answeredReviewItems: number;
  /** The tenant's SSO configuration, as its last change time (null: none). */
  ssoUpdatedAt: string | null;
  /** SSO sign-ins waiting for the IdP. */
  ssoLoginStates: number;
  /** Log-ins waiting for their second factor. */
  loginChallenges: number;
  /** What enrolling, removing or using a second factor writes: the people's TOTP state and codes left, the sessions' last MFA check. */
  mfaState: string;
  /** Invitations, whatever their state (accepting or revoking one changes a row, never their number). */
  invitations: number;
  /** Invitations neither accepted nor revoked (expired ones too). */
  openInvitations: number;
  /** People's passkeys, and their names in id order (a rename changes them). */
  webauthnCredentials: number;
  webauthnCredentialNames: string;
}

/**
 * A tenant's rows, read as the database owner around RLS, to prove that nothing was written. Waits
 * until every audit event is sealed (sealing follows commit by milliseconds), so the head is current.
 */
export async function tenantFootprint(tenantId: string): Promise<TenantFootprint> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const footprint = await readFootprint(tenantId);
    if (footprint.auditHeadSeq === footprint.auditEvents) return footprint;
    if (Date.now() > deadline) throw new Error(`audit events of ${tenantId} stay unsealed: ${JSON.stringify(footprint)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * One read-only statement, prepared once per connection of a pool of its own: it reads some thirty
 * tables, and planning it anew for each of the thousands of reads in a run (the route security suite
 * alone makes about 2,800) cost more than running it (6.8 or 3.3 ms unnamed, 1.3 ms prepared, on an
 * empty database). Not through asOwner: its DISCARD ALL would drop the statement pg believes prepared.
 */
async function readFootprint(tenantId: string): Promise<TenantFootprint> {
  const { rows } = await ownerPoolFor(process.env.TEST_DATABASE_OWNER_URL!, 'footprint').query<Record<string, string | null>>({
    name: 'tenant-footprint',
    values: [tenantId],
    text: `SELECT (SELECT count(*) FROM tokens WHERE tenant_id = $1) AS tokens,
            (SELECT count(*) FROM services WHERE tenant_id = $1) AS services,
            (SELECT count(*) FROM users WHERE tenant_id = $1) AS users,
            (SELECT count(*) FROM sessions WHERE tenant_id = $1) AS sessions,
            (SELECT count(*) FROM audit_events WHERE tenant_id = $1) AS audit_events,
            (SELECT coalesce(max(seq), 0) FROM audit_events WHERE tenant_id = $1) AS audit_head_seq,
            (SELECT updated_at::text FROM tenant_policies WHERE tenant_id = $1) AS policy_updated_at,
            (SELECT count(*) FROM webhook_endpoints WHERE tenant_id = $1 AND deleted_at IS NULL) AS webhooks,
            (SELECT count(*) FROM webhook_deliveries WHERE tenant_id = $1) AS webhook_deliveries,
            (SELECT count(*) FROM consents WHERE tenant_id = $1) AS consents,
            (SELECT count(*) FROM consent_versions WHERE tenant_id = $1) AS consent_versions,
            (SELECT count(*) FROM consents WHERE tenant_id = $1 AND withdrawn_at IS NOT NULL) AS withdrawn_consents,
            (SELECT count(*) FROM audit_checkpoints WHERE tenant_id = $1) AS audit_checkpoints,
            (SELECT count(*) FROM signing_keys WHERE tenant_id = $1) AS signing_keys,
            (SELECT count(*) FROM alerts WHERE tenant_id = $1) AS alerts,
            (SELECT count(*) FROM alerts WHERE tenant_id = $1 AND status <> 'open') AS answered_alerts,
            (SELECT count(*) FROM access_review_campaigns WHERE tenant_id = $1) AS access_reviews,
            (SELECT count(*) FROM access_review_items WHERE tenant_id = $1 AND status <> 'pending') AS answered_review_items,
            (SELECT updated_at::text FROM sso_configs WHERE tenant_id = $1) AS sso_updated_at,
            (SELECT count(*) FROM sso_login_states WHERE tenant_id = $1) AS sso_login_states,
            (SELECT count(*) FROM login_challenges WHERE tenant_id = $1) AS login_challenges,
            (SELECT concat_ws('/', count(*) FILTER (WHERE totp_enabled_at IS NOT NULL), count(*) FILTER (WHERE totp_pending_secret_sealed IS NOT NULL),
                    sum(cardinality(recovery_code_hashes)), max(totp_last_step))
               FROM users WHERE tenant_id = $1)
              || '/' || coalesce((SELECT max(mfa_at)::text FROM sessions WHERE tenant_id = $1), '') AS mfa_state,
            (SELECT count(*) FROM invitations WHERE tenant_id = $1) AS invitations,
            (SELECT count(*) FROM invitations WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL) AS open_invitations,
            (SELECT count(*) FROM webauthn_credentials WHERE tenant_id = $1) AS webauthn_credentials,
            (SELECT coalesce(string_agg(name, ',' ORDER BY id), '') FROM webauthn_credentials WHERE tenant_id = $1) AS webauthn_credential_names`,
  });
  const row = rows[0]!;
  return {
    tokens: Number(row.tokens),
    services: Number(row.services),
    users: Number(row.users),
    sessions: Number(row.sessions),
    auditEvents: Number(row.audit_events),
    auditHeadSeq: Number(row.audit_head_seq),
    policyUpdatedAt: row.policy_updated_at ?? null,
    webhooks: Number(row.webhooks),
    webhookDeliveries: Number(row.webhook_deliveries),
    consents: Number(row.consents),
    consentVersions: Number(row.consent_versions),
    withdrawnConsents: Number(row.withdrawn_consents),
    auditCheckpoints: Number(row.audit_checkpoints),
    signingKeys: Number(row.signing_keys),
    alerts: Number(row.alerts),
    answeredAlerts: Number(row.answered_alerts),
    accessReviews: Number(row.access_reviews),
    answeredReviewItems: Number(row.answered_review_items),
    ssoUpdatedAt: row.sso_updated_at ?? null,
    ssoLoginStates: Number(row.sso_login_states),
    loginChallenges: Number(row.login_challenges),
    mfaState: row.mfa_state ?? '',
    invitations: Number(row.invitations),
    openInvitations: Number(row.open_invitations),
    webauthnCredentials: Number(row.webauthn_credentials),
    webauthnCredentialNames: row.webauthn_credential_names ?? '',
  };
}

/**
 * The owner's connections, pooled per test file: a new connection costs about 27 ms here and a pooled
 * one 0.3 ms, and the route security suite alone probes thousands of times (1,375 cases, each reading
 * its tenant before and after). Idle connections close after a second and never keep jest running.
 * Two pools: asOwner's probes, and the footprint's prepared statement (see readFootprint).
 */
const ownerPools = new Map<'probes' | 'footprint', { url: string; pool: Pool }>();

function ownerPoolFor(url: string, use: 'probes' | 'footprint' = 'probes'): Pool {
  let owned = ownerPools.get(use);
  if (owned?.url !== url) {
    const pool = new Pool({ connectionString: url, max: use === 'probes' ? 10 : 2, idleTimeoutMillis: 1_000, allowExitOnIdle: true });
    // An idle connection the server ends (the run's database dropped at teardown) is only let go.
    pool.on('error', () => undefined);
    ownerPools.set(use, (owned = { url, pool }));
  }
  return owned.pool;
}

/**
 * Runs SQL as the database owner (tests that must reach around the application, e.g. tampering). Each
 * call's session starts as a new connection's would: what a call leaves behind (an open transaction, a
 * setting, a lock) is ended before the connection serves another, and one whose work failed is closed.
 */
export async function asOwner<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = await ownerPoolFor(process.env.TEST_DATABASE_OWNER_URL!).connect();
  let result: T;
  try {
    result = await work(client);
    // Two statements: DISCARD ALL cannot run in the implicit transaction of a multi-statement query.
    await client.query('ROLLBACK');
    await client.query('DISCARD ALL');
  } catch (error) {
    client.release(true);
    throw error;
  }
  client.release();
  return result;
}
