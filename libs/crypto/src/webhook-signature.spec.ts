import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook } from './webhook-signature';

/** The signer is ours; the verifier is the Standard Webhooks reference library, which we did not write. */
describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'token.revoked', timestamp: '2025-11-25T12:00:00.000Z', data: { tokenId: 'tok_1', note: 'ünïcødé' } });

  it('makes secrets in the whsec_ form with 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('is accepted by the standardwebhooks verifier', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, 'msg_abc', body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs exactly what the reference implementation signs', () => {
    const secret = generateWebhookSecret();
    const at = new Date('2025-11-25T12:00:00.500Z');
    expect(signWebhook(secret, 'msg_abc', body, at)['webhook-signature']).toBe(new Webhook(secret).sign('msg_abc', at, body));
    expect(signWebhook(secret, 'msg_abc', body, at)['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
  });

  it('is refused for another secret, another id, another body or a stale timestamp', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, 'msg_abc', body);
    const refused = (verify: () => unknown) => expect(verify).toThrow(WebhookVerificationError);
    refused(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers }));
    refused(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_other' }));
    refused(() => new Webhook(secret).verify(body.replace('tok_1', 'tok_2'), { ...headers }));
    const stale = signWebhook(secret, 'msg_abc', body, new Date(Date.now() - 10 * 60_000));
    refused(() => new Webhook(secret).verify(body, { ...stale }));
  });

  it('signs with the current and the previous secret during a rotation, so a receiver holding either accepts it', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const at = new Date();
    const headers = signWebhook([current, previous], 'msg_abc', body, at);
    expect(headers['webhook-signature']).toBe(`${new Webhook(current).sign('msg_abc', at, body)} ${new Webhook(previous).sign('msg_abc', at, body)}`);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('refuses to sign with something that is not a webhook secret, or with none', () => {
    expect(() => signWebhook('not-a-secret', 'msg_abc', body)).toThrow('not a webhook signing secret');
    expect(() => signWebhook([generateWebhookSecret(), 'not-a-secret'], 'msg_abc', body)).toThrow('not a webhook signing secret');
    expect(() => signWebhook([], 'msg_abc', body)).toThrow('no webhook signing secret');
  });
});
