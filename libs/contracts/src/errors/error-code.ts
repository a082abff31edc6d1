/** Every error the API can answer with. The HTTP mapping lives in one place: apps/api/src/http. */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  /** A text field (a name, a reason, metadata, a query) carries a Custos token or session token. */
  SECRET_IN_TEXT = 'SECRET_IN_TEXT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  CSRF_FAILED = 'CSRF_FAILED',
  /** A sensitive action by a person with MFA, whose last MFA check is older than the policy's step-up window. */
  STEP_UP_REQUIRED = 'STEP_UP_REQUIRED',
  /** The tenant requires MFA for the person's role: the session can only enrol a method. */
  MFA_ENROLMENT_REQUIRED = 'MFA_ENROLMENT_REQUIRED',
  /** The password was chosen by someone else: the session can only change it. */
  PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED',
  /** A second factor (TOTP code, recovery code, passkey assertion) was wrong, used already, or its challenge ended. */
  INVALID_MFA = 'INVALID_MFA',
  FORBIDDEN = 'FORBIDDEN',
  SCOPE_ESCALATION = 'SCOPE_ESCALATION',
  NOT_FOUND = 'NOT_FOUND',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  CONFLICT = 'CONFLICT',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  /** A one-time handover (a rotated token's successor) was already taken. */
  ALREADY_FETCHED = 'ALREADY_FETCHED',
  LIFETIME_EXCEEDS_POLICY = 'LIFETIME_EXCEEDS_POLICY',
  /** Issuing a token for data categories the policy binds to a consent, without one. */
  CONSENT_REQUIRED = 'CONSENT_REQUIRED',
  /** Binding to, or renewing, a consent that was withdrawn or whose window has ended. */
  CONSENT_INACTIVE = 'CONSENT_INACTIVE',
  RATE_LIMITED = 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** Something this request needs is away for a while (e.g. the events feed while its store is unreachable); retry. */
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export interface FieldError {
  field: string;
  message: string;
}
