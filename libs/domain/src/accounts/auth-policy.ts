import { ROLES, type FieldError, type Role } from '@custos/contracts';

/** How a tenant's people sign in and how long their sessions live (PUT /v1/policy { auth }). */
export interface AuthPolicy {
  /** People of these roles must have MFA: without it, their next session can only enrol. */
  requireMfaForRoles: Role[];
  /** A sensitive action needs an MFA check within this many seconds (people with MFA only). */
  stepUpSeconds: number;
  /** A session unused this long ends. */
  idleMinutes: number;
  /** A session ends this long after it started, however busy. */
  absoluteHours: number;
}

export const AUTH_POLICY_DEFAULTS: AuthPolicy = {
  requireMfaForRoles: [],
  stepUpSeconds: 600,
  idleMinutes: 120,
  absoluteHours: 12,
};

export const AUTH_POLICY_LIMITS = {
  stepUpSeconds: { min: 60, max: 86_400 },
  idleMinutes: { min: 5, max: 10_080 },
  absoluteHours: { min: 1, max: 720 },
} as const;

/** The stored policy (what the tenant set, laid over the defaults). */
export function authPolicyOf(stored: Partial<AuthPolicy> | null | undefined): AuthPolicy {
  return { ...AUTH_POLICY_DEFAULTS, ...(stored ?? {}) };
}

const isWholeIn = (n: unknown, { min, max }: { min: number; max: number }): boolean => Number.isInteger(n) && (n as number) >= min && (n as number) <= max;

/** What is wrong with an auth policy, as field errors under `auth.`. */
export function authPolicyProblems(p: AuthPolicy): FieldError[] {
  const problems: FieldError[] = [];
  if (!Array.isArray(p.requireMfaForRoles) || p.requireMfaForRoles.some((r) => !(ROLES as readonly string[]).includes(r))) {
    problems.push({ field: 'auth.requireMfaForRoles', message: `must list roles among ${ROLES.join(', ')}` });
  }
  for (const field of ['stepUpSeconds', 'idleMinutes', 'absoluteHours'] as const) {
    const limits = AUTH_POLICY_LIMITS[field];
    if (!isWholeIn(p[field], limits)) problems.push({ field: `auth.${field}`, message: `must be a whole number from ${limits.min} to ${limits.max}` });
  }
  return problems;
}

/** The facts of a stored session that decide whether it is still alive. */
export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
}

/** Whether a session is past its idle or absolute limit at `now`. */
export function sessionEnded(session: SessionTimes, policy: AuthPolicy, now: Date): boolean {
  const idleEnds = session.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  const absoluteEnds = session.createdAt.getTime() + policy.absoluteHours * 3_600_000;
  return now.getTime() >= idleEnds || now.getTime() >= absoluteEnds;
}

/** Whether the person passed an MFA check recently enough for a sensitive action. */
export function stepUpFresh(mfaAt: Date | null, policy: AuthPolicy, now: Date): boolean {
  return mfaAt !== null && now.getTime() - mfaAt.getTime() < policy.stepUpSeconds * 1000;
}
