import { readFile } from 'node:fs/promises';

/** Where the CLI finds Custos and the service key it acts with. */
export interface Connection {
  baseUrl: string;
  serviceKey: string;
}

export const DEFAULT_URL = 'http://localhost:3000';

export class ConnectionError extends Error {}

/**
 * The key comes from CUSTOS_API_KEY or a file (--key-file), never from the command line, where other
 * users of the machine could read it in the process list and it would stay in the shell's history.
 */
export async function connectionOf(options: { url: string | undefined; keyFile: string | undefined }, env: NodeJS.ProcessEnv): Promise<Connection> {
  const baseUrl = options.url ?? env.CUSTOS_URL ?? DEFAULT_URL;
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) throw new ConnectionError(`the Custos URL ${baseUrl} is not an http(s) URL`);
  let serviceKey: string | undefined;
  if (options.keyFile !== undefined) {
    try {
      serviceKey = (await readFile(options.keyFile, 'utf8')).trim();
    } catch (error) {
      throw new ConnectionError(`cannot read --key-file ${options.keyFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  } else {
    serviceKey = env.CUSTOS_API_KEY?.trim();
  }
  if (!serviceKey) throw new ConnectionError('no service key: set CUSTOS_API_KEY or pass --key-file <file>');
  return { baseUrl: baseUrl.replace(/\/+$/, ''), serviceKey };
}
