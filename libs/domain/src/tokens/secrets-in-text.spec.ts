import fc from 'fast-check';
import { SESSION_TOKEN_PREFIX, containsSecret, replaceSecrets } from './secrets-in-text';
import { generateToken } from './token-format';

const R = '[R]';
const live = generateToken('live').raw;
const session = `${SESSION_TOKEN_PREFIX}${'aZ0-_'.repeat(8)}xyz`;

describe('secrets in text', () => {
  it.each([
    ['a token alone', live, R],
    ['a token glued to word characters on both sides', `x_${live}_y`, `x_${R}_y`],
    ['a token followed by more token characters', `${live}abc`, `${R}abc`],
    ['two tokens', `${live} ${live}`, `${R} ${R}`],
    ['a session token in a cookie header', `custos_session=${session}; theme=dark`, `custos_session=${R}; theme=dark`],
  ])('finds and replaces %s', (_how, text, replaced) => {
    expect(containsSecret(text)).toBe(true);
    expect(replaceSecrets(text, R)).toBe(replaced);
  });

  it.each(['tok_01HZX', 'cus_live_tooShort', 'cus_session_timeout', 'CUS', ''])('leaves %j alone', (text) => {
    expect(containsSecret(text)).toBe(false);
    expect(replaceSecrets(text, R)).toBe(text);
  });

  // Issue 12, finding 9, as a property: wherever a token sits in a text, it is found and none of it survives.
  it('finds a token anywhere in any text, and nothing of its body is left after replacing (property)', () => {
    const secret = fc.oneof(
      fc.constantFrom('live', 'test').map((env) => generateToken(env as 'live' | 'test').raw),
      fc.string({ unit: fc.constantFrom(...'ABCxyz019-_'), minLength: 20, maxLength: 60 }).map((s) => SESSION_TOKEN_PREFIX + s),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), secret, fc.string({ maxLength: 40 }), (before, token, after) => {
        const text = before + token + after;
        expect(containsSecret(text)).toBe(true);
        const replaced = replaceSecrets(text, R);
        expect(containsSecret(replaced)).toBe(false);
        expect(replaced).not.toContain(token.replace(/^cus_(?:live|test|session)_/, ''));
      }),
      { numRuns: 2000 },
    );
  });

  it('changes no text that holds no secret, and never throws (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        fc.pre(!text.includes('cus_'));
        expect(containsSecret(text)).toBe(false);
        expect(replaceSecrets(text, R)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});
