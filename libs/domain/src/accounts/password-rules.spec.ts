import { existsSync } from 'node:fs';
import { ErrorCode } from '@custos/contracts';
import { DomainError } from '../errors/domain-error';
import { COMMON_PASSWORDS_FILE, assertPasswordAllowed, isCommonPassword, passwordProblems } from './password-rules';

describe('password rules', () => {
  const email = 'ada.lovelace@example.test';

  it('accepts a long passphrase of the person’s own', () => {
    expect(passwordProblems('correct horse battery staple', { email })).toEqual([]);
    expect(passwordProblems('twelve chars', { email })).toEqual([]);
  });

  it('needs at least 12 characters, counted as characters, not bytes', () => {
    expect(passwordProblems('eleven char', { email })).toEqual(['must be at least 12 characters long']);
    // Eleven emoji are 22 UTF-16 units and 44 bytes: still eleven characters.
    expect(passwordProblems('🔒'.repeat(11), { email })).toEqual(['must be at least 12 characters long']);
    expect(passwordProblems('🔒'.repeat(12), { email })).toEqual([]);
  });

  it('refuses the 100,000 most common passwords, whatever their case', () => {
    expect(existsSync(COMMON_PASSWORDS_FILE)).toBe(true);
    for (const common of ['123456', 'password', 'qwerty123456', 'QWERTY123456', '1q2w3e4r5t6y']) expect(isCommonPassword(common)).toBe(true);
    expect(isCommonPassword('correct horse battery staple')).toBe(false);
    expect(passwordProblems('Qwerty123456', { email })).toEqual(['is one of the most common passwords: choose another']);
  });

  it('refuses the e-mail, and any password containing its local part', () => {
    expect(passwordProblems('ADA.LOVELACE@example.test', { email })).toEqual(['must not be or contain your e-mail address']);
    expect(passwordProblems('my Ada.Lovelace password', { email })).toEqual(['must not be or contain your e-mail address']);
    // A local part of one or two letters would refuse half the dictionary: only three or more count.
    expect(passwordProblems('a jolly long passphrase', { email: 'jo@example.test' })).toEqual([]);
  });

  it('throws 400 VALIDATION_FAILED naming the field, with every rule broken', () => {
    let error: unknown;
    try {
      assertPasswordAllowed('qwerty', { email }, 'newPassword');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.VALIDATION_FAILED);
    expect((error as DomainError).fieldErrors).toEqual([
      { field: 'newPassword', message: 'must be at least 12 characters long' },
      { field: 'newPassword', message: 'is one of the most common passwords: choose another' },
    ]);
    expect(() => assertPasswordAllowed('correct horse battery staple', { email })).not.toThrow();
  });
});
