import { generateToken } from '@custos/domain';
import { REDACTED, isSensitiveKey, redactSecrets, redactTokenStrings, redactTokenStringsInLogLine } from './redaction';

const liveToken = generateToken('live').raw;
const testToken = generateToken('test').raw;
const sessionCookie = 'cus_session_Yt3q-9_ZkP0aWm4LrX2bNc8v';

describe('redactTokenStrings', () => {
  it('removes live and test tokens wherever they appear in text', () => {
    const text = `Bearer ${liveToken} was rejected; retry with ${testToken}.`;
    const redacted = redactTokenStrings(text);
    expect(redacted).toBe(`Bearer ${REDACTED} was rejected; retry with ${REDACTED}.`);
  });

  it('removes session cookie values', () => {
    expect(redactTokenStrings(`cookie: custos_session=${sessionCookie}; theme=dark`)).toBe(
      `cookie: custos_session=${REDACTED}; theme=dark`,
    );
  });

  it("removes an invitation link's one-time token from the paths of its routes", () => {
    const token = 'cinv_Qm9vZ2llLW1vbnN0ZXItZXhhbXBsZS10b2tlbi0xMjM0NTY';
    expect(redactTokenStrings(`POST /v1/invitations/${token}/accept`)).toBe(`POST /v1/invitations/${REDACTED}/accept`);
    expect(redactTokenStrings('GET /v1/invitations/inv_0Vcf1ATwQ3')).toBe('GET /v1/invitations/inv_0Vcf1ATwQ3');
  });

  it('leaves ordinary text, ids and near misses alone', () => {
    const text = 'token tok_01HZX verified for svc_42 in 3 ms (cus_live_tooShort, cus_session_short)';
    expect(redactTokenStrings(text)).toBe(text);
  });

  // Issue 12, finding 9: `GET /v1/tokens?q=<token>_x` logged the whole token.
  it.each([
    ['a word character after it', `q=${liveToken}_x`, `q=${REDACTED}_x`],
    ['a longer run of token characters after it', `${liveToken}X9`, `${REDACTED}X9`],
    ['a word character before it', `x_${testToken}`, `x_${REDACTED}`],
    ['JSON escapes around it', `{"msg":"\\n${liveToken}\\t"}`, `{"msg":"\\n${REDACTED}\\t"}`],
    ['a session token glued to text', `s=x${sessionCookie}`, `s=x${REDACTED}`],
  ])('removes a token with %s', (_how, text, expected) => {
    expect(redactTokenStrings(text)).toBe(expected);
    expect(redactTokenStringsInLogLine(text)).toBe(expected);
  });
});

describe('redactSecrets', () => {
  it('redacts secret-looking keys at any depth without touching the original', () => {
    const input = {
      user: { email: 'a@example.com', password: 'hunter2' },
      items: [{ nested: { deeper: { sessionToken: 's', tokenId: 'tok_1' } } }],
      headers: { authorization: 'Bearer x', 'x-csrf-token': 'c', accept: '*/*' },
    };
    const output = redactSecrets(input);
    expect(output).toEqual({
      user: { email: 'a@example.com', password: REDACTED },
      items: [{ nested: { deeper: { sessionToken: REDACTED, tokenId: 'tok_1' } } }],
      headers: { authorization: REDACTED, 'x-csrf-token': REDACTED, accept: '*/*' },
    });
    expect(input.user.password).toBe('hunter2');
  });

  it('returns the same object when nothing needs redacting', () => {
    const input = { a: { b: [1, 2, { c: 'd' }] } };
    expect(redactSecrets(input)).toBe(input);
  });

  it('walks the own properties of errors', () => {
    const error = Object.assign(new Error('boom'), { details: { secret: 's3' } });
    const output = redactSecrets({ err: error }) as { err: { message: string; details: { secret: string } } };
    expect(output.err.message).toBe('boom');
    expect(output.err.details.secret).toBe(REDACTED);
    expect(error.details.secret).toBe('s3');
  });

  it('survives cycles and very deep objects', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ name: 'x', self: '[Circular]' });
    expect(cyclic.self).toBe(cyclic);

    let deep: Record<string, unknown> = { password: 'deepest' };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('deepest');
  });

  it.each([
    'password',
    'adminPassword',
    'clientSecret',
    'secret',
    'signingSecret',
    'token',
    'csrfToken',
    'set-cookie',
    'CUSTOS_TOKEN_PEPPER',
    'tokenHash',
    'x-api-key',
  ])('treats %s as sensitive', (key) => expect(isSensitiveKey(key)).toBe(true));

  it.each(['tokenId', 'tokens', 'email', 'scopes', 'prefix'])('treats %s as ordinary', (key) =>
    expect(isSensitiveKey(key)).toBe(false),
  );
});
