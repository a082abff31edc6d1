import { DomainError } from '@custos/domain';

/** Opaque keyset cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string | undefined,
  isValid: (value: Record<string, unknown>) => value is T,
): T | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && isValid(value as Record<string, unknown>)) return value as T;
  } catch {
    // fall through to the validation error
  }
  throw DomainError.validation([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
