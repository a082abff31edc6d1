import jose from 'node-jose';
import { encryptToJwk, normalizePublicJwk, type PublicJwk } from './public-jwk';

async function keyPair(kty: 'EC' | 'RSA'): Promise<{ publicJwk: PublicJwk; keystore: jose.JWK.KeyStore }> {
  const keystore = jose.JWK.createKeyStore();
  const key = kty === 'EC' ? await keystore.generate('EC', 'P-256') : await keystore.generate('RSA', 2048);
  return { publicJwk: key.toJSON(false) as PublicJwk, keystore };
}

describe('public JWKs', () => {
  it.each(['EC', 'RSA'] as const)('encrypts a secret only the %s private key can read', async (kty) => {
    const { publicJwk, keystore } = await keyPair(kty);
    const jwe = await encryptToJwk(publicJwk, 'cus_live_secret');
    expect(jwe.split('.')).toHaveLength(5);
    expect(jwe).not.toContain('cus_live_secret');
    const opened = await jose.JWE.createDecrypt(keystore).decrypt(jwe);
    expect(opened.plaintext.toString('utf8')).toBe('cus_live_secret');
    expect(opened.header).toMatchObject({ enc: 'A256GCM', alg: kty === 'EC' ? 'ECDH-ES+A256KW' : 'RSA-OAEP-256' });

    const stranger = await keyPair(kty);
    await expect(jose.JWE.createDecrypt(stranger.keystore).decrypt(jwe)).rejects.toThrow();
  });

  it('refuses private keys and unusable keys', async () => {
    const keystore = jose.JWK.createKeyStore();
    const key = await keystore.generate('EC', 'P-256');
    await expect(normalizePublicJwk(key.toJSON(true))).resolves.toEqual({ error: 'must not contain a private key' });
    await expect(normalizePublicJwk({ kty: 'oct', k: 'abc' })).resolves.toEqual({ error: 'kty must be EC or RSA' });
    await expect(normalizePublicJwk({ kty: 'EC', crv: 'P-256', x: 'nope' })).resolves.toMatchObject({ error: expect.stringMatching(/not a usable key/) });
  });
});
