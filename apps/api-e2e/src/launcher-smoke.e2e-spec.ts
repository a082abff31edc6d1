import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { listeningTcpPorts, startLauncher, type RunningLauncher } from '@custos/testing';

function listening(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      answer(true);
    });
    socket.once('error', () => answer(false));
  });
}

/**
 * The README's run command on a fresh machine: `npm start` (after its build step) with no database and no
 * secrets configured, i.e. embedded Postgres, generated secrets, and the Redis of the test environment.
 */
describe('npm start (launcher) in embedded mode', () => {
  let app: RunningLauncher;
  let base: string;
  let port: number;
  let dataDir: string;
  const output = (): string => app.output();
  const recentOutput = (): string => output().split('\n').slice(-40).join('\n');

  beforeAll(async () => {
    app = await startLauncher();
    ({ url: base, port, dataDir } = app);
  }, 150_000);

  afterAll(async () => {
    await app?.stop();
  }, 60_000);

  it("puts its banner first: Nest's start-up lines (a line per mapped route) are debug, not info", () => {
    expect(output()).toContain('Custos is running.');
    expect(output()).not.toMatch(/Mapped \{|RouterExplorer|RoutesResolver|InstanceLoader/);
  });

  it('prints where to open Custos, its API docs, where data lives and how to get the first admin', () => {
    expect(output()).toContain(`http://127.0.0.1:${port}/`);
    expect(output()).toContain(`http://127.0.0.1:${port}/docs`);
    expect(output()).toContain(dataDir);
    expect(output()).toContain('POST /v1/signup');
  });

  it('serves the dashboard at /', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/<html/i);
  });

  it('signs up the first organization and its owner', async () => {
    const response = await fetch(`${base}/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organization: 'Smoke Test', email: 'owner@smoke.test', password: 'a long enough password' }),
    });
    expect({ status: response.status, body: await response.text() }).toMatchObject({ status: 201 });
  });

  it('never prints the generated secrets', () => {
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(secrets).sort()).toEqual(['masterKey', 'tokenPepper', 'tokenPepperId']);
    expect(output()).not.toContain(secrets.tokenPepper);
    expect(output()).not.toContain(secrets.masterKey);
  });

  it('offers its embedded Postgres on no TCP port, only on a socket in an owner-only directory of the data directory', () => {
    const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
    const socketDir = join(dataDir, 'socket');
    expect(listeningTcpPorts(app.pid)).toEqual([]);
    expect(readdirSync(socketDir)).toEqual(['.s.PGSQL.5432']);
    expect({ directory: mode(socketDir), socket: mode(join(socketDir, '.s.PGSQL.5432')) }).toEqual({ directory: '700', socket: '600' });
  });

  it('stops on SIGTERM with exit code 0 and leaves nothing listening', async () => {
    const exit = await app.stop();
    expect({ ...exit, output: exit.code === 0 ? '' : recentOutput() }).toEqual({ code: 0, signal: null, output: '' });
    expect(await listening(port)).toBe(false);
    // Said last, once the api and worker drained and the embedded services closed.
    expect(output().trimEnd().split('\n').at(-1)).toBe('[custos] stopped');
    expect(output()).not.toMatch(/job failed/);
  }, 60_000);
});
