import { GEOFENCE_FIELDS, geofenceErrors, geofenceOf, geofencePatchFields, type GeofenceValues } from './geofence';
import { cidrsError, nameError, parseMetadata } from './issue-token.form';
import { RATE_LIMIT_SERVER_FIELDS, rateLimitErrors, rateLimitPatchFields, rateLimitValuesOf, type RateLimitValues } from './rate-limit';
import type { PatchTokenRequest, Token, TokenStatus } from './tokens.queries';

/**
 * The edit form's rules. PATCH /v1/tokens/:id changes a name, the metadata, and narrows: scopes can
 * only be removed, the IP allow-list and the geofence only tightened, the rate limit only lowered (an
 * owner or admin may loosen them). The API stays the judge of narrowing; its refusals are shown next to
 * the fields they name.
 */
export interface EditTokenValues extends GeofenceValues, RateLimitValues {
  name: string;
  /** The scopes the token keeps: a subset of its current ones. */
  scopes: string[];
  allowedCidrs: string[];
  /** JSON text of an object; blank for none. */
  metadata: string;
}

/** The fields PATCH accepts that are also the form's own. */
export const EDIT_FIELDS = ['name', 'scopes', 'allowedCidrs', 'metadata', ...GEOFENCE_FIELDS] as const;
/** The API's paths of the rate limit, by the form's fields (the limit and its window). */
export const EDIT_SERVER_ALIASES = RATE_LIMIT_SERVER_FIELDS;

/** A revoked or expired token is final: the API refuses any change to it. */
export function isEditable(status: TokenStatus): boolean {
  return status === 'active' || status === 'rotating' || status === 'suspended';
}

export function editValuesOf(token: Token): EditTokenValues {
  return {
    name: token.name,
    scopes: [...token.scopes],
    allowedCidrs: [...token.allowedCidrs],
    metadata: Object.keys(token.metadata).length > 0 ? JSON.stringify(token.metadata, null, 2) : '',
    ...geofenceOf(token),
    ...rateLimitValuesOf(token.rateLimit),
  };
}

export function validateEditToken(values: EditTokenValues): Partial<Record<keyof EditTokenValues, string>> {
  const errors: Partial<Record<keyof EditTokenValues, string>> = {};
  const name = nameError(values.name);
  if (name) errors.name = name;
  const cidrs = cidrsError(values.allowedCidrs);
  if (cidrs) errors.allowedCidrs = cidrs;
  const metadata = parseMetadata(values.metadata);
  if (metadata.error) errors.metadata = metadata.error;
  return { ...errors, ...geofenceErrors(values), ...rateLimitErrors(values) };
}

/** The scopes the edit would take away, in the token's order. */
export function removedScopes(token: Token, values: EditTokenValues): string[] {
  return token.scopes.filter((s) => !values.scopes.includes(s));
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Only what changed (validate first), so the audit event records exactly what the person changed; an
 * empty body means nothing did. Scopes keep the token's order whatever order they were ticked in.
 */
export function toPatchRequest(token: Token, values: EditTokenValues): PatchTokenRequest {
  const body: PatchTokenRequest = {};
  const name = values.name.trim();
  if (name !== token.name) body.name = name;
  const scopes = token.scopes.filter((s) => values.scopes.includes(s));
  if (!sameList(scopes, token.scopes)) body.scopes = scopes;
  if (!sameList(values.allowedCidrs, token.allowedCidrs)) body.allowedCidrs = values.allowedCidrs;
  const metadata = parseMetadata(values.metadata).value ?? {};
  if (JSON.stringify(metadata) !== JSON.stringify(token.metadata)) body.metadata = metadata;
  return { ...body, ...geofencePatchFields(token, values), ...rateLimitPatchFields(token.rateLimit, values) };
}
