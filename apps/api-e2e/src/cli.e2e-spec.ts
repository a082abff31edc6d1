import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, CLI_MAIN, issueToken, REPO_ROOT, runCli, serviceKey, signupTenant, type TestTenant } from '@custos/testing';

interface TokenJson {
  id: string;
  name: string;
  status: string;
  scopes: string[];
}

/** The `custos` CLI as an operator uses it against a running Custos, with a service key from the environment or a file. */
describe('the custos CLI against a running Custos', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;
  let env: Record<string, string>;

  beforeAll(async () => {
    tenant = await signupTenant(api, 'CLI');
    const key = await serviceKey(tenant, ['custos:tokens:issue', 'custos:tokens:read', 'custos:tokens:rotate', 'custos:tokens:revoke', 'custos:tokens:verify']);
    env = { CUSTOS_URL: api.baseUrl, CUSTOS_API_KEY: key.issued.secret };
  });

  const cli = (args: string[], stdin?: string) => runCli(args, { env, ...(stdin === undefined ? {} : { stdin }) });

  it('issues a token, shows its secret once, and lists, shows, rotates and revokes it; --json for scripts, tables for people', async () => {
    const issued = await cli(['tokens', 'issue', '--name', 'cli-orders', '--scope', 'orders:read', '--scope', 'orders:write', '--expires-in', '3600', '--json']);
    expect(issued).toMatchObject({ code: 0, stderr: '' });
    const body = JSON.parse(issued.stdout) as { token: TokenJson; secret: string };
    expect(body.token).toMatchObject({ name: 'cli-orders', status: 'active', scopes: ['orders:read', 'orders:write'] });
    expect(body.secret).toMatch(/^cus_live_/);

    const human = await cli(['tokens', 'issue', '--name', 'cli-human', '--scope', 'orders:read', '--expires-in', '600']);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toMatch(/^secret: +cus_live_\S+$/m);
    expect(human.stdout).toContain('shown this once');

    const list = await cli(['tokens', 'list', '--search', 'cli-orders']);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +NAME +STATUS +SCOPES +EXPIRES +LAST USED$/);
    expect(list.stdout).toMatch(new RegExp(`^${body.token.id} +cli-orders +active +orders:read,orders:write `, 'm'));
    const listed = JSON.parse((await cli(['tokens', 'list', '--json'])).stdout) as { items: TokenJson[] };
    expect(listed.items.map((t) => t.id)).toContain(body.token.id);

    const shown = await cli(['tokens', 'show', body.token.id]);
    expect(shown.stdout).toMatch(/^status: +active$/m);

    const rotated = await cli(['tokens', 'rotate', body.token.id, '--grace', '60', '--json']);
    expect(rotated).toMatchObject({ code: 0, stderr: '' });
    const successor = JSON.parse(rotated.stdout) as { token: TokenJson; secret: string };
    expect(successor.token.id).not.toBe(body.token.id);

    const revoked = await cli(['tokens', 'revoke', successor.token.id, '--reason', 'done with it', '--json']);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: successor.token.id, status: 'revoked' });
  });

  it('verifies a token read from stdin: exit 0 when VALID, 1 with the code when not', async () => {
    const issued = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    const valid = await cli(['verify', '--scope', 'orders:read'], issued.secret);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/^code: +VALID$/m);
    const lacking = await cli(['verify', '--scope', 'orders:write', '--json'], issued.secret);
    expect(lacking.code).toBe(1);
    expect(JSON.parse(lacking.stdout)).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPE' });
  });

  it('says why it refuses: a refusal of the API (exit 1), and a key on the command line or none at all (exit 2)', async () => {
    const missing = await cli(['tokens', 'show', 'tok_0000000000000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: 404 NOT_FOUND /m);
    const invalid = await cli(['tokens', 'issue', '--name', 'x', '--scope', 'NOT A SCOPE', '--expires-in', '600']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^ {2}scopes/m);

    const onCommandLine = await runCli(['tokens', 'list', '--key', 'cus_live_whatever'], { env: { CUSTOS_URL: api.baseUrl, CUSTOS_API_KEY: '' } });
    expect(onCommandLine.code).toBe(2);
    expect(onCommandLine.stderr).toContain('--key is not taken');
    const none = await runCli(['tokens', 'list'], { env: { CUSTOS_URL: api.baseUrl, CUSTOS_API_KEY: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('set CUSTOS_API_KEY or pass --key-file');

    const dir = mkdtempSync(join(tmpdir(), 'custos-cli-'));
    writeFileSync(join(dir, 'key'), `${env.CUSTOS_API_KEY}\n`, { mode: 0o600 });
    const fromFile = await runCli(['tokens', 'list', '--key-file', join(dir, 'key'), '--json'], { env: { CUSTOS_URL: api.baseUrl, CUSTOS_API_KEY: '' } });
    expect(fromFile.code).toBe(0);
  });

  it('tails the events feed, one line per change, until interrupted', async () => {
    const child = spawn(process.execPath, [CLI_MAIN, 'events', 'tail', '--json'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const lines = () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { event: string; data: { tokenId?: string; kind?: string } });
    const until = async (check: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`not seen in time: ${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await until(() => lines().some((l) => l.event === 'heartbeat'));
      const issued = await issueToken(tenant.owner);
      expect((await tenant.owner.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'tail' })).status).toBe(200);
      await until(() => lines().some((l) => l.event === 'token' && l.data.tokenId === issued.token.id && l.data.kind === 'revoked'));
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
