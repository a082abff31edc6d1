import { describe, expect, it } from '@jest/globals';
import { USERS } from '../../../test/user-fixtures';
import { stewardEmail, stewardOptions } from './stewards';

const ME = { id: 'usr_1', email: 'me@acme.test' };

describe('stewardEmail', () => {
  it('reads the e-mail from the users list, the own one from the session, and knows no other', () => {
    expect(stewardEmail('usr_ana', USERS, ME)).toBe('ana@acme.test');
    // A viewer cannot list users, yet knows who they are.
    expect(stewardEmail('usr_1', undefined, ME)).toBe('me@acme.test');
    expect(stewardEmail('usr_ana', undefined, ME)).toBeUndefined();
    expect(stewardEmail('usr_gone', USERS, ME)).toBeUndefined();
  });
});

describe('stewardOptions', () => {
  it("offers the tenant's users by e-mail, in the list's order", () => {
    expect(stewardOptions(USERS, 'usr_ana', ME)).toEqual([
      { value: 'usr_1', label: 'me@acme.test' },
      { value: 'usr_ana', label: 'ana@acme.test' },
      { value: 'usr_bo', label: 'bo@acme.test' },
    ]);
  });

  it('keeps the signed-in user and a current steward the list lacks, the latter under its id', () => {
    expect(stewardOptions(undefined, null, ME)).toEqual([{ value: 'usr_1', label: 'me@acme.test' }]);
    expect(stewardOptions(USERS.slice(1, 2), 'usr_gone', ME)).toEqual([
      { value: 'usr_1', label: 'me@acme.test' },
      { value: 'usr_ana', label: 'ana@acme.test' },
      { value: 'usr_gone', label: 'usr_gone' },
    ]);
  });
});
