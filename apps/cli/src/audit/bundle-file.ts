import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { BundleSource } from './bundle-verifier';

/** A bundle on disk, read line by line each time it is opened (a million events never sit in memory). */
export function bundleFile(path: string): BundleSource {
  return () => createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
}

/** A JWKS the auditor trusts, e.g. saved from GET /v1/tenants/current/jwks.json. */
export async function readJwksFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${path} is not JSON`);
  }
}
