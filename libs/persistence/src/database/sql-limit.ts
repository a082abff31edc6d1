/**
 * A LIMIT that goes into the SQL text (as the measured statements always had it, so the plan is made
 * for the number): only a whole, non-negative count may get there.
 */
export function limitOf(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`not a row limit: ${limit}`);
  return limit;
}
