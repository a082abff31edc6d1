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
