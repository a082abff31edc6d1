import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './api-process';

/** A running test IdP (oidc-provider in its own process). */
export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/**
 * Starts the test OpenID Provider (apps/api-e2e/src/support/oidc-idp.mjs) on a free loopback port, with one confidential client
 * whose redirect URIs are given. Logins are e-mails; their groups follow from the e-mail (see the script).
 */
export async function startTestIdp(redirectUris: string[], client = { clientId: 'custos-test', clientSecret: 'custos-test-secret-0123456789' }): Promise<TestIdp> {
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'apps', 'api-e2e', 'src', 'support', 'oidc-idp.mjs'), JSON.stringify({ ...client, redirectUris })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the test IdP did not start: ${stderr}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`the test IdP exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
  });
  return {
    issuer,
    ...client,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
