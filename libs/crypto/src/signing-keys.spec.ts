import jose from 'node-jose';
import { generateSigningKey, jwkThumbprint, signJws, verifyJws } from './signing-keys';

const TYPE = 'custos-checkpoint+json';

describe('tenant signing keys', () => {
  it('names a key by its RFC 7638 thumbprint, as node-jose computes it', async () => {
    const { kid, publicJwk, privateJwk } = await generateSigningKey();
    const key = await jose.JWK.asKey(publicJwk);
    const thumbprint: unknown = await key.thumbprint('SHA-256');
    expect(kid).toBe(Buffer.from(thumbprint as Buffer).toString('base64url'));
    expect(jwkThumbprint(publicJwk)).toBe(kid);
    expect(publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid, alg: 'ES256', use: 'sig' });
    expect(publicJwk).not.toHaveProperty('d');
    expect(JSON.parse(privateJwk)).toMatchObject({ kid, d: expect.any(String) });
  });

  it('signs a compact ES256 JWS that verifies with the public key only', async () => {
    const { kid, publicJwk, privateJwk } = await generateSigningKey();
    const jws = await signJws(privateJwk, '{"seq":1}', TYPE);
    const header: unknown = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'ES256', kid, typ: TYPE });
    expect(await verifyJws(jws, { keys: [publicJwk] }, TYPE)).toEqual({ valid: true, kid, payload: '{"seq":1}' });
  });

  it('refuses another key, an altered payload, another type and a key missing from the set', async () => {
    const signer = await generateSigningKey();
    const stranger = await generateSigningKey();
    const jws = await signJws(signer.privateJwk, '{"seq":1}', TYPE);
    expect(await verifyJws(jws, { keys: [stranger.publicJwk] }, TYPE)).toMatchObject({ valid: false, reason: `signature does not verify: no key with kid ${signer.kid} in the JWKS` });
    const impostor = { ...stranger.publicJwk, kid: signer.kid };
    expect(await verifyJws(jws, { keys: [impostor] }, TYPE)).toMatchObject({ valid: false, reason: expect.stringMatching(/not an EC P-256 key with that thumbprint/) });
    const [h, , s] = jws.split('.');
    const altered = [h, Buffer.from('{"seq":2}').toString('base64url'), s].join('.');
    expect(await verifyJws(altered, { keys: [signer.publicJwk] }, TYPE)).toMatchObject({ valid: false, reason: `signature does not verify with kid ${signer.kid}` });
    expect(await verifyJws(jws, { keys: [signer.publicJwk] }, 'report+json')).toMatchObject({ valid: false, reason: expect.stringMatching(/not a report\+json/) });
    expect(await verifyJws('not.a jws', { keys: [signer.publicJwk] }, TYPE)).toMatchObject({ valid: false, kid: null });
  });

  it('refuses a signature that is not 64 bytes of r || s, and header extensions it does not understand', async () => {
    const signer = await generateSigningKey();
    const jws = await signJws(signer.privateJwk, '{"seq":1}', TYPE);
    const [h, p, s] = jws.split('.');
    const truncated = [h, p, Buffer.from(s!, 'base64url').subarray(0, 63).toString('base64url')].join('.');
    expect(await verifyJws(truncated, { keys: [signer.publicJwk] }, TYPE)).toMatchObject({ valid: false, reason: `signature does not verify with kid ${signer.kid}` });
    const header = (extra: object) => Buffer.from(JSON.stringify({ alg: 'ES256', kid: signer.kid, typ: TYPE, ...extra })).toString('base64url');
    for (const extra of [{ crit: ['exp'] }, { b64: false }]) {
      expect(await verifyJws([header(extra), p, s].join('.'), { keys: [signer.publicJwk] }, TYPE)).toMatchObject({
        valid: false,
        reason: 'asks for JWS extensions (crit, b64) a checkpoint never uses',
      });
    }
  });

  it('verifies what node-jose signs and refuses what it refuses, for many keys and payloads', async () => {
    for (let i = 0; i < 20; i++) {
      const signer = await generateSigningKey();
      const payload = JSON.stringify({ seq: i, note: 'ü'.repeat(i) });
      const jws = await signJws(signer.privateJwk, payload, TYPE);
      expect(await verifyJws(jws, { keys: [signer.publicJwk] }, TYPE)).toEqual({ valid: true, kid: signer.kid, payload });
      const key = await jose.JWK.asKey(signer.publicJwk);
      // One character of the signature changed, in r (early) or s (late).
      for (const at of [jws.lastIndexOf('.') + 5, jws.length - 10]) {
        const flipped = `${jws.slice(0, at)}${jws[at] === 'A' ? 'B' : 'A'}${jws.slice(at + 1)}`;
        const theirs = await jose.JWS.createVerify(key).verify(flipped).then(() => true, () => false);
        expect({ theirs, ours: (await verifyJws(flipped, { keys: [signer.publicJwk] }, TYPE)).valid }).toEqual({ theirs: false, ours: false });
      }
    }
  });

  it('never trusts a key embedded in the JWS header', async () => {
    const signer = await generateSigningKey();
    const attacker = await jose.JWK.asKey(JSON.parse((await generateSigningKey()).privateJwk) as object);
    const forged: unknown = await jose.JWS.createSign(
      { format: 'compact', fields: { alg: 'ES256', kid: signer.kid, typ: TYPE, jwk: attacker.toJSON(false) } },
      attacker,
    ).update('{"seq":1}').final();
    expect(await verifyJws(forged as string, { keys: [signer.publicJwk] }, TYPE)).toMatchObject({ valid: false });
  });
});
