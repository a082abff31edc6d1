/** What a session must do before anything else (the dashboard sends the person there). */
export const SESSION_RESTRICTIONS = ['mfa_enrolment', 'password_change'] as const;
export type SessionRestriction = (typeof SESSION_RESTRICTIONS)[number];

/** The second factors a log-in challenge or a step-up accepts. */
export const LOGIN_MFA_METHODS = ['totp', 'recovery_code', 'webauthn'] as const;
export type LoginMfaMethod = (typeof LOGIN_MFA_METHODS)[number];

/** How a session started. */
export const SESSION_METHODS = ['password', 'signup', 'sso', 'invitation'] as const;
export type SessionMethod = (typeof SESSION_METHODS)[number];
