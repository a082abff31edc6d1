#!/usr/bin/env node
/**
 * `custos`: command-line tools that work without a Custos server.
 *
 *   custos audit verify <bundle> [--jwks <path>] [--threads <n>]
 *
 * Exit codes: 0 verified, 1 the bundle fails verification, 2 the command could not run.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { readJwksFile } from './audit/bundle-file';
import { describeVerdict } from './audit/bundle-verifier';
import { inlineScanner, threadScanner } from './audit/chunk-scanner';
import { verifyBundleFile } from './audit/verify-file';

const USAGE = `usage: custos audit verify <bundle.jsonl> [--jwks <jwks.json>] [--threads <n>]

Verifies an audit export (GET /v1/audit-events/export) offline: every event's hash and its link to
the one before, gap-free sequence numbers, and every checkpoint's signature. Signatures are checked
with the bundle's own JWKS, or with --jwks (e.g. saved from GET /v1/tenants/current/jwks.json), so
the bundle need not be trusted for its keys. Events are hashed on --threads threads (default: one
per CPU, at most 8; 1 hashes on the main thread only).`;

const MAX_THREADS = 8;

class UsageError extends Error {}

interface Args {
  bundle: string;
  jwks: string | undefined;
  threads: number;
}

function argsOf(argv: readonly string[]): Args {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { jwks: { type: 'string' }, threads: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    // node:util's own messages name the option and what is wrong with it.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [group, command, bundle, ...extra] = parsed.positionals;
  if (group !== 'audit' || command !== 'verify') throw new UsageError(group ? `unknown command: ${[group, command].join(' ')}` : 'no command given');
  if (!bundle) throw new UsageError('no bundle given');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const threads = parsed.values.threads === undefined ? Math.min(availableParallelism(), MAX_THREADS) : Number(parsed.values.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new UsageError('--threads must be a whole number from 1 to 64');
  return { bundle, jwks: parsed.values.jwks, threads };
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = argsOf(argv);
  const jwks = args.jwks === undefined ? undefined : await readJwksFile(args.jwks);
  const scanner = args.threads > 1 ? threadScanner(args.threads) : inlineScanner();
  const verdict = await verifyBundleFile(args.bundle, { jwks, scanner });
  process.stdout.write(`${describeVerdict(verdict)}\n`);
  return verdict.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(error instanceof UsageError ? `custos: ${message}\n\n${USAGE}\n` : `custos: ${message}\n`);
    process.exitCode = 2;
  },
);
