import { newTotpSecret, totpCodeAt, totpStepOf, totpUri } from './totp';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const at = new Date('2026-12-03T12:00:10Z');

  it('accepts the code of the moment and names its time step', () => {
    expect(totpStepOf(secret, totpCodeAt(secret, at), at)).toBe(Math.floor(at.getTime() / 30_000));
  });

  it('accepts the step before and after, not two away', () => {
    const step = Math.floor(at.getTime() / 30_000);
    expect(totpStepOf(secret, totpCodeAt(secret, new Date(at.getTime() - 30_000)), at)).toBe(step - 1);
    expect(totpStepOf(secret, totpCodeAt(secret, new Date(at.getTime() + 30_000)), at)).toBe(step + 1);
    expect(totpStepOf(secret, totpCodeAt(secret, new Date(at.getTime() - 90_000)), at)).toBeNull();
  });

  it('refuses another secret’s code and anything that is not six digits', () => {
    expect(totpStepOf(newTotpSecret(), totpCodeAt(secret, at), at)).toBeNull();
    expect(totpStepOf(secret, '12345', at)).toBeNull();
    expect(totpStepOf(secret, ' 123456', at)).toBeNull();
  });

  it('writes the URI an authenticator app scans', () => {
    const uri = new URL(totpUri(secret, 'ada@acme.test', 'Custos (Acme)'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Custos (Acme)');
    expect(uri.searchParams.get('digits')).toBe('6');
  });
});
