import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointView } from '@custos/application';
import type { BundleLine, Jwks } from '@custos/contracts';
import type { ApiClient } from './api-client';
import { REPO_ROOT } from './api-process';

/** The built `custos` command-line tool. */
export const CLI_MAIN = join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

export type CheckpointBody = CheckpointView;

/** POST /v1/audit-events/checkpoints: signs the caller's tenant's chain head now. */
export async function signCheckpoint(client: ApiClient): Promise<CheckpointBody> {
  const res = await client.post<CheckpointBody>('/v1/audit-events/checkpoints', {});
  if (res.status !== 201) throw new Error(`checkpoint failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function tenantJwks(client: ApiClient): Promise<Jwks> {
  const res = await client.get<Jwks>('/v1/tenants/current/jwks.json');
  if (res.status !== 200) throw new Error(`jwks failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface ExportedBundle {
  text: string;
  lines: BundleLine[];
  headers: Headers;
}

/** GET /v1/audit-events/export (`query` without its `?`), as the JSON lines it answers. */
export async function exportAuditBundle(client: ApiClient, query = ''): Promise<ExportedBundle> {
  const res = await client.get<string>(`/v1/audit-events/export${query ? `?${query}` : ''}`);
  if (res.status !== 200) throw new Error(`export failed: ${res.status} ${JSON.stringify(res.body)}`);
  const text = res.body;
  return { text, lines: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as BundleLine), headers: res.headers };
}

/** Writes text to a fresh file under the OS temp directory; returns its path. */
export function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'custos-audit-')), name);
  writeFileSync(path, text);
  return path;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`node dist/apps/cli/src/main.js …args`), as an auditor or an operator would: with
 * `env` added to the test's environment and `stdin` piped in when given.
 */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
