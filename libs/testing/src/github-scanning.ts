import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';

/** The key id GitHub's test reports are signed under in a test run. */
export const GITHUB_TEST_KEY_ID = 'custos-test-github-scanning-key';

/** A P-256 key for the run (global setup): the api processes read its public half as GitHub's key. */
export function newGithubTestKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * CUSTOS_GITHUB_SCANNING_KEYS_URL for the run's api processes: GitHub's key document, as a data: URL
 * (fetch reads those like any other), with the public half of the run's key.
 */
export function githubTestKeysUrl(): string | undefined {
  const pem = process.env.CUSTOS_TEST_GITHUB_SCANNING_KEY;
  if (!pem) return undefined;
  const key = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'pem' }).toString();
  const document = JSON.stringify({ public_keys: [{ key_identifier: GITHUB_TEST_KEY_ID, key, is_current: true }] });
  return `data:application/json;base64,${Buffer.from(document).toString('base64')}`;
}

/** The headers GitHub sends with `body`, signed by the run's key. */
export function githubSignatureHeaders(body: string): Record<string, string> {
  const pem = process.env.CUSTOS_TEST_GITHUB_SCANNING_KEY;
  if (!pem) throw new Error('CUSTOS_TEST_GITHUB_SCANNING_KEY is not set: the global test setup makes it');
  return {
    'github-public-key-identifier': GITHUB_TEST_KEY_ID,
    'github-public-key-signature': sign('sha256', Buffer.from(body), { key: createPrivateKey(pem), dsaEncoding: 'der' }).toString('base64'),
  };
}
