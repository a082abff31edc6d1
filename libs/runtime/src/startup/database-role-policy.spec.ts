import type { LoginRole } from '@custos/persistence';
import { judgeLoginRole } from './database-role-policy';

const appLogin: LoginRole = { name: 'custos_login', superuser: false, bypassRls: false, memberOfAppRole: true };
const superuser: LoginRole = { name: 'postgres', superuser: true, bypassRls: true, memberOfAppRole: true };
const bypasser: LoginRole = { name: 'etl', superuser: false, bypassRls: true, memberOfAppRole: true };
const settings = { NODE_ENV: 'development', CUSTOS_ALLOW_SUPERUSER_DB: false, CUSTOS_EMBEDDED_DATABASE: false } as const;

describe('judgeLoginRole', () => {
  it('accepts a login that is only a member of custos_app, in production too', () => {
    expect(judgeLoginRole(appLogin, { ...settings, NODE_ENV: 'production' })).toEqual({ action: 'accept' });
  });

  it('refuses a login that is not a member of custos_app, saying what to grant', () => {
    const verdict = judgeLoginRole({ ...appLogin, memberOfAppRole: false }, settings);
    expect(verdict).toEqual({ action: 'refuse', message: expect.stringContaining('GRANT custos_app TO "custos_login"') });
  });

  it.each([
    ['a superuser', superuser, 'superuser and BYPASSRLS'],
    ['a BYPASSRLS role', bypasser, 'BYPASSRLS'],
  ])('warns about %s outside production', (_label, login, powers) => {
    expect(judgeLoginRole(login, settings)).toEqual({ action: 'warn', message: expect.stringContaining(`a ${powers} role`) });
    expect(judgeLoginRole(login, { ...settings, NODE_ENV: 'test' }).action).toBe('warn');
  });

  it('refuses a superuser or BYPASSRLS login in production unless CUSTOS_ALLOW_SUPERUSER_DB=true', () => {
    for (const login of [superuser, bypasser]) {
      const refused = judgeLoginRole(login, { ...settings, NODE_ENV: 'production' });
      expect(refused).toEqual({ action: 'refuse', message: expect.stringContaining('CUSTOS_ALLOW_SUPERUSER_DB=true') });
      expect(judgeLoginRole(login, { ...settings, NODE_ENV: 'production', CUSTOS_ALLOW_SUPERUSER_DB: true }).action).toBe('warn');
    }
  });

  it("accepts the embedded database's superuser, saying why it is acceptable there", () => {
    const verdict = judgeLoginRole(superuser, { ...settings, NODE_ENV: 'production', CUSTOS_EMBEDDED_DATABASE: true });
    expect(verdict).toEqual({ action: 'note', message: expect.stringContaining('only the account running Custos can reach it') });
  });
});
