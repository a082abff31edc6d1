/** A password's length in characters (docs/security.md#passwords); the dashboard shows the same rules. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
