import { ApiError } from '../api/http';

/**
 * Field errors of a problem+json answer, keyed by the form's own field names (the API may report
 * `scopes.0` for the first scope: that belongs to `scopes`). Errors of other fields are left to the
 * page's ProblemAlert.
 */
export function fieldErrorsOf(error: unknown, fields: readonly string[]): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const messages = error.fieldErrors(field);
    if (messages.length > 0) errors[field] = messages.join('; ');
  }
  return errors;
}

/** Field errors placed on a form's fields, and the fields of the answer they came from (for ProblemAlert to leave out). */
export interface PlacedFieldErrors {
  errors: Record<string, string>;
  placed: string[];
}

/**
 * Field errors of a problem+json answer placed on a form whose fields are paths into the request body
 * (`geo.rules.0.allowedRegions`): each reported path goes to the longest of `fields` it is or lies under
 * (`geo.rules.0.allowedRegions.1` → `geo.rules.0.allowedRegions`, `geo.rules.0` → the rule's row), through
 * `aliases` where the form calls a field otherwise than the API (`rateLimit.windowSeconds` → `rateLimitWindow`).
 * A reported path under none of them is left to the page's ProblemAlert.
 */
export function placeFieldErrors(error: unknown, fields: readonly string[], aliases: Readonly<Record<string, string>> = {}): PlacedFieldErrors {
  const placed: PlacedFieldErrors = { errors: {}, placed: [] };
  if (!(error instanceof ApiError)) return placed;
  const paths = [...fields, ...Object.keys(aliases)];
  for (const { field, message } of error.problem.errors ?? []) {
    const path = paths.filter((p) => field === p || field.startsWith(`${p}.`)).sort((a, b) => b.length - a.length)[0];
    if (path === undefined) continue;
    const formField = aliases[path] ?? path;
    placed.errors[formField] = placed.errors[formField] ? `${placed.errors[formField]}; ${message}` : message;
    placed.placed.push(field);
  }
  return placed;
}
