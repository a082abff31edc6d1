/**
 * Custos's own management scopes. A token holding some of them is a *service key*; a user's role maps
 * to a set of them. Nobody can grant a custos scope it does not hold itself.
 */
export const CUSTOS_SCOPES = [
  'custos:tokens:issue',
  'custos:tokens:read',
  'custos:tokens:verify',
  'custos:tokens:rotate',
  'custos:tokens:revoke',
  'custos:tokens:update',
  'custos:services:read',
  'custos:services:write',
  'custos:users:read',
  'custos:users:write',
  'custos:policy:read',
  'custos:policy:write',
  'custos:audit:read',
  /** Sign a checkpoint of the audit chain on demand (the worker signs them on schedule anyway). */
  'custos:audit:checkpoint',
  'custos:webhooks:read',
  'custos:webhooks:write',
  'custos:consents:read',
  'custos:consents:write',
  /** Compliance controls and reports: reading them, and generating a report (changes no token). */
  'custos:reports:read',
  'custos:reports:write',
  /** Usage of tokens: counts over time and place, raw usage events (networks, never whole addresses), a token's summary. */
  'custos:usage:read',
  /** Alerts on signs of abuse, with their evidence (networks, never whole addresses). */
  'custos:alerts:read',
  /** Acknowledge and resolve alerts. */
  'custos:alerts:write',
  /** Access review campaigns and their items. */
  'custos:reviews:read',
  /** Decide the review items assigned to oneself (every role: anyone may steward a token). */
  'custos:reviews:decide',
  /** Open and close campaigns, and decide any item: an owner's or admin's. */
  'custos:reviews:write',
] as const;
export type CustosScope = (typeof CUSTOS_SCOPES)[number];
export const CUSTOS_SCOPE_PREFIX = 'custos:';

export const ROLES = ['owner', 'admin', 'operator', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const READ_ONLY: readonly CustosScope[] = [
  'custos:tokens:read',
  'custos:services:read',
  'custos:policy:read',
  // Whoever reads a token may see where it is used from: events carry networks, never whole addresses.
  'custos:usage:read',
  // Anyone may steward a token, so anyone sees and decides the reviews assigned to them.
  'custos:reviews:read',
  'custos:reviews:decide',
];

/** Least privilege: each role gets what its job needs and no more. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly CustosScope[]>> = {
  owner: CUSTOS_SCOPES,
  admin: CUSTOS_SCOPES,
  operator: [
    ...READ_ONLY,
    'custos:tokens:issue',
    'custos:tokens:verify',
    'custos:tokens:rotate',
    'custos:tokens:revoke',
    'custos:tokens:update',
    'custos:users:read',
    'custos:audit:read',
    'custos:webhooks:read',
    'custos:consents:read',
    'custos:consents:write',
    'custos:reports:read',
    // The on-call engineer answers alerts.
    'custos:alerts:read',
    'custos:alerts:write',
  ],
  auditor: [
    ...READ_ONLY,
    'custos:users:read',
    'custos:audit:read',
    'custos:webhooks:read',
    'custos:consents:read',
    // Generating a report is an auditor's job, and it changes no token state.
    'custos:reports:read',
    'custos:reports:write',
    'custos:alerts:read',
  ],
  viewer: READ_ONLY,
};
