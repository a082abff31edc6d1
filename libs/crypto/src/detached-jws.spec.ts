import { signDetachedJws, verifyDetachedJws } from './detached-jws';
import { generateSigningKey } from './signing-keys';

describe('detached JWS', () => {
  it('verifies against the payload it signed and nothing else', async () => {
    const key = await generateSigningKey();
    const jwks = { keys: [key.publicJwk] };
    const digest = 'a'.repeat(64);
    const jws = await signDetachedJws(key.privateJwk, digest, 'custos-report-digest+jws');
    expect(jws).toMatch(/^[\w-]+\.\.[\w-]+$/);
    await expect(verifyDetachedJws(jws, digest, jwks, 'custos-report-digest+jws')).resolves.toMatchObject({ valid: true, kid: key.kid });
    await expect(verifyDetachedJws(jws, 'b'.repeat(64), jwks, 'custos-report-digest+jws')).resolves.toMatchObject({ valid: false });
    await expect(verifyDetachedJws(jws, digest, jwks, 'custos-checkpoint+json')).resolves.toMatchObject({ valid: false });
    const other = await generateSigningKey();
    await expect(verifyDetachedJws(jws, digest, { keys: [other.publicJwk] }, 'custos-report-digest+jws')).resolves.toMatchObject({ valid: false });
  });
});
