import type { Role } from '../../session/api/session.queries';
import type { Policy, PolicyRequest } from './policy.queries';

type AuthPolicy = Policy['auth'];

/** The bounds of libs/domain/src/accounts/auth-policy.ts (AUTH_POLICY_LIMITS); step-up shown in minutes. */
export const AUTH_LIMITS = {
  stepUpMinutes: { min: 1, max: 1_440 },
  idleMinutes: { min: 5, max: 10_080 },
  absoluteHours: { min: 1, max: 720 },
} as const;

/** Settings' sign-in and session fields. */
export interface AuthPolicyValues {
  requireMfaForRoles: Role[];
  /** The API's stepUpSeconds, in minutes. */
  stepUpMinutes: number | string;
  idleMinutes: number | string;
  absoluteHours: number | string;
}

export function authValuesOf(auth: AuthPolicy): AuthPolicyValues {
  return {
    requireMfaForRoles: [...auth.requireMfaForRoles],
    stepUpMinutes: auth.stepUpSeconds / 60,
    idleMinutes: auth.idleMinutes,
    absoluteHours: auth.absoluteHours,
  };
}

const isWhole = (v: number | string, { min, max }: { min: number; max: number }) => v !== '' && Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max;
const range = ({ min, max }: { min: number; max: number }) => `from ${min.toLocaleString()} to ${max.toLocaleString()}`;

/** Messages keyed by the form's paths (`auth.idleMinutes`). */
export function validateAuthPolicy(values: AuthPolicyValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!isWhole(values.stepUpMinutes, AUTH_LIMITS.stepUpMinutes)) errors['auth.stepUpMinutes'] = `A whole number of minutes ${range(AUTH_LIMITS.stepUpMinutes)}`;
  if (!isWhole(values.idleMinutes, AUTH_LIMITS.idleMinutes)) errors['auth.idleMinutes'] = `A whole number of minutes ${range(AUTH_LIMITS.idleMinutes)}`;
  if (!isWhole(values.absoluteHours, AUTH_LIMITS.absoluteHours)) errors['auth.absoluteHours'] = `A whole number of hours ${range(AUTH_LIMITS.absoluteHours)}`;
  else if (isWhole(values.idleMinutes, AUTH_LIMITS.idleMinutes) && Number(values.idleMinutes) > Number(values.absoluteHours) * 60) {
    errors['auth.idleMinutes'] = 'At most the session limit: a session ends then anyway';
  }
  return errors;
}

export function toAuthPolicyRequest(values: AuthPolicyValues): NonNullable<PolicyRequest['auth']> {
  return {
    requireMfaForRoles: values.requireMfaForRoles,
    stepUpSeconds: Number(values.stepUpMinutes) * 60,
    idleMinutes: Number(values.idleMinutes),
    absoluteHours: Number(values.absoluteHours),
  };
}

/** The API's names of the fields the form calls otherwise. */
export const AUTH_SERVER_ALIASES: Readonly<Record<string, string>> = { 'auth.stepUpSeconds': 'auth.stepUpMinutes' };

/** Every path of the sign-in fields an API error may land on. */
export function authFormPaths(): string[] {
  return ['auth', 'auth.requireMfaForRoles', 'auth.stepUpMinutes', 'auth.idleMinutes', 'auth.absoluteHours'];
}
