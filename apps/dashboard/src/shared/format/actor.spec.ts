import { describe, expect, it } from '@jest/globals';
import { actorLabel, actorTitle, type Actor } from './actor';

const person = (removedAt: string | null = null): Actor => ({ id: 'usr_1', kind: 'user', email: 'ana@acme.test', name: null, removedAt });
const key: Actor = { id: 'tok_1', kind: 'service_key', email: null, name: 'Billing', removedAt: null };

describe('actorLabel', () => {
  it("reads a person by e-mail, a service key by its service's name, and an unknown id as itself", () => {
    expect(actorLabel('usr_1', person())).toBe('ana@acme.test');
    expect(actorLabel('tok_1', key)).toBe('Billing');
    expect(actorLabel('usr_gone', null)).toBe('usr_gone');
  });

  it('says a person was removed, so a new account with the same e-mail is not taken for them', () => {
    expect(actorLabel('usr_1', person('2026-02-01T00:00:00.000Z'))).toBe('ana@acme.test (removed)');
  });
});

describe('actorTitle', () => {
  it('gives the id and what it is', () => {
    expect(actorTitle('usr_1', person())).toBe('user usr_1');
    expect(actorTitle('tok_1', key)).toBe('service key tok_1');
    expect(actorTitle('usr_gone', null)).toBe('usr_gone');
  });
});
