/** How an invitation link's one-time token starts (then 43 base64url characters): logs redact it wherever it appears. */
export const INVITATION_TOKEN_PREFIX = 'cinv_';
