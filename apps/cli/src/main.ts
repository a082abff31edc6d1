#!/usr/bin/env node
/**
 * `custos`: command-line tools that work without a Custos server.
 *
 *   custos audit verify <bundle> [--jwks <path>]
 *
 * Exit codes: 0 verified, 1 the bundle fails verification, 2 the command could not run.
 */
import { readBundleLines, readJwksFile } from './audit/bundle-file';
import { BundleVerifier, describeVerdict } from './audit/bundle-verifier';

const USAGE = `usage: custos audit verify <bundle.jsonl> [--jwks <jwks.json>]

Verifies an audit export (GET /v1/audit-events/export) offline: every event's hash and its link to
the one before, gap-free sequence numbers, and every checkpoint's signature. Signatures are checked
with the bundle's own JWKS, or with --jwks (e.g. saved from GET /v1/tenants/current/jwks.json), so
the bundle need not be trusted for its keys.`;

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { bundle: string; jwks: string | undefined } {
  const [group, command, ...rest] = argv;
  if (group !== 'audit' || command !== 'verify') throw new UsageError(group ? `unknown command: ${argv.slice(0, 2).join(' ')}` : 'no command given');
  let bundle: string | undefined;
  let jwks: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--jwks') {
      jwks = rest[++i];
      if (!jwks) throw new UsageError('--jwks needs a path');
    } else if (arg.startsWith('--jwks=')) {
      jwks = arg.slice('--jwks='.length);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (bundle === undefined) {
      bundle = arg;
    } else {
      throw new UsageError(`unexpected argument ${arg}`);
    }
  }
  if (!bundle) throw new UsageError('no bundle given');
  return { bundle, jwks };
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseArgs(argv);
  const jwks = args.jwks === undefined ? undefined : await readJwksFile(args.jwks);
  const verifier = new BundleVerifier({ jwks });
  await readBundleLines(args.bundle, (line) => verifier.line(line));
  const verdict = await verifier.verdict();
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
