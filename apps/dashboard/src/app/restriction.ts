import type { Session } from '../features/session/api/session.queries';

/** The one screen a restricted session may see (GET /v1/auth/session's `restriction`); null: no restriction. */
export function restrictedPathOf(restriction: Session['restriction']): string | null {
  switch (restriction) {
    case 'mfa_enrolment':
      return MFA_ENROLMENT_PATH;
    case 'password_change':
      return PASSWORD_CHANGE_PATH;
    case null:
      return null;
  }
}

export const MFA_ENROLMENT_PATH = '/setup/mfa';
/** Someone else chose the password (an account made by API): the person chooses their own first. */
export const PASSWORD_CHANGE_PATH = '/setup/password';

/** The screens that exist only for a restriction: without one, they send the person on to the app. */
export const RESTRICTION_PATHS: readonly string[] = [MFA_ENROLMENT_PATH, PASSWORD_CHANGE_PATH];
