import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('m'.repeat(40));

  it('opens what it sealed, and the ciphertext does not contain the secret', () => {
    const sealed = box.seal('webhook', 'tenant/1', 'whsec_abc');
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open('webhook', 'tenant/1', sealed)).toBe('whsec_abc');
  });

  it('seals the same secret differently each time', () => {
    expect(box.seal('webhook', 'x', 's')).not.toBe(box.seal('webhook', 'x', 's'));
  });

  it('refuses another purpose, another context, another key or an altered ciphertext', () => {
    const sealed = box.seal('webhook', 'tenant/1', 'secret');
    expect(() => box.open('successor', 'tenant/1', sealed)).toThrow();
    expect(() => box.open('webhook', 'tenant/2', sealed)).toThrow();
    expect(() => new SecretBox('k'.repeat(40)).open('webhook', 'tenant/1', sealed)).toThrow();
    const [v, iv, body, tag] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open('webhook', 'tenant/1', [v, iv, flipped.toString('base64url'), tag].join('.'))).toThrow();
  });

  it('refuses a short master key', () => {
    expect(() => new SecretBox('short')).toThrow(/32 characters/);
  });
});
