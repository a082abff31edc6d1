import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export interface LocalSecrets {
  tokenPepper: string;
  tokenPepperId: string;
  masterKey: string;
}

const LOCAL_PEPPER_ID = 'local1';

const secretsFile = z.object({
  tokenPepper: z.string().min(32),
  tokenPepperId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  masterKey: z.string().min(32),
});

/**
 * Secrets for the embedded (local) mode, generated on the first start and kept in `<dir>/secrets.json`
 * (owner-only). They must survive restarts: every stored token hash depends on the pepper and every
 * sealed value on the master key, so new ones would orphan the data next to them.
 */
export function loadOrCreateLocalSecrets(dir: string): LocalSecrets {
  const path = join(dir, 'secrets.json');
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) return parse(path, text);

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secrets: LocalSecrets = {
    tokenPepper: randomBytes(32).toString('base64url'),
    tokenPepperId: LOCAL_PEPPER_ID,
    masterKey: randomBytes(32).toString('base64url'),
  };
  try {
    writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it between our read and write: theirs wins, so both use the same secrets.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return parse(path, readFileSync(path, 'utf8'));
    throw error;
  }
  // The umask may have narrowed the mode further but never widened it; make it exact regardless.
  chmodSync(path, 0o600);
  return secrets;
}

/** A damaged file stops the start: replacing it would silently invalidate every stored token. */
function parse(path: string, text: string): LocalSecrets {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON; restore it from a backup (deleting it invalidates existing tokens)`);
  }
  const result = secretsFile.safeParse(json);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join('.') || '(file)').join(', ');
    throw new Error(`${path} is missing or has invalid fields (${fields}); restore it from a backup`);
  }
  return result.data;
}
