#!/usr/bin/env node
/**
 * `custos`: tools that work without a Custos server (verifying an audit export or a report offline),
 * and a client of a Custos server built on the Node SDK (tokens, verify, the events feed).
 *
 *   custos audit verify <bundle> [--jwks <path>] [--checkpoints <path>]… [--allow-unsigned] [--threads <n>]
 *   custos report verify <report-file> --signature <path> --jwks <path>
 *   custos tokens issue|list|show|rotate|revoke …, custos verify, custos events tail (SERVICE_USAGE)
 *
 * Exit codes: 0 verified (done), 1 verification failed (refused), 2 the command could not run.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { runServiceCommand, SERVICE_GROUPS, SERVICE_USAGE, ServiceUsageError, type Io } from './service/service-commands';

const USAGE = `usage: custos audit verify <bundle.jsonl> [--jwks <jwks.json>] [--checkpoints <file>]... [--allow-unsigned] [--threads <n>]
       custos report verify <report-file> --signature <signature> --jwks <jwks.json>
${SERVICE_USAGE}

audit verify: verifies an audit export (GET /v1/audit-events/export) offline: every event's hash and
its link to the one before, gap-free sequence numbers, and every checkpoint's signature. Signatures
are checked with the bundle's own JWKS, or with --jwks (e.g. saved from GET
/v1/tenants/current/jwks.json), so the bundle need not be trusted for its keys. A signed checkpoint
must cover the bundle's last event: events after the last one are not authenticated, and fail the
bundle unless --allow-unsigned, which accepts them and says so. --checkpoints takes checkpoints you
kept from before (an earlier bundle, saved audit.checkpoint_signed webhooks, or their JWS one a line):
the bundle must agree with them, so events cut from the end of the chain and signed over again show.
Events are hashed on --threads threads (default: one per CPU, at most 8; 1 hashes on the main thread only).

report verify: checks a downloaded compliance report: its SHA-256 is what the tenant's key signed.
--signature is the X-Custos-Signature header saved to a file, or the JSON of
GET /v1/reports/:id/signature; --jwks the tenant's JWKS.`;

const MAX_THREADS = 8;

class UsageError extends Error {}

type Command =
  | { name: 'audit verify'; bundle: string; jwks: string | undefined; checkpoints: string[]; allowUnsigned: boolean; threads: number }
  | { name: 'report verify'; report: string; signature: string; jwks: string };

function commandOf(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        jwks: { type: 'string' },
        threads: { type: 'string' },
        signature: { type: 'string' },
        checkpoints: { type: 'string', multiple: true },
        'allow-unsigned': { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    // node:util's own messages name the option and what is wrong with it.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [group, action, file, ...extra] = parsed.positionals;
  const name = `${group ?? ''} ${action ?? ''}`;
  if (name !== 'audit verify' && name !== 'report verify') throw new UsageError(group ? `unknown command: ${name.trim()}` : 'no command given');
  if (!file) throw new UsageError(name === 'audit verify' ? 'no bundle given' : 'no report file given');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const { jwks, threads, signature, checkpoints = [], 'allow-unsigned': allowUnsigned = false } = parsed.values;
  if (name === 'report verify') {
    for (const [given, option] of [[threads !== undefined, '--threads'], [checkpoints.length > 0, '--checkpoints'], [allowUnsigned, '--allow-unsigned']] as const) {
      if (given) throw new UsageError(`${option} is for audit verify`);
    }
    if (!signature) throw new UsageError('report verify needs --signature');
    if (!jwks) throw new UsageError('report verify needs --jwks (the tenant JWKS you trust)');
    return { name, report: file, signature, jwks };
  }
  if (signature !== undefined) throw new UsageError('--signature is for report verify');
  const count = threads === undefined ? Math.min(availableParallelism(), MAX_THREADS) : Number(threads);
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new UsageError('--threads must be a whole number from 1 to 64');
  return { name, bundle: file, jwks, checkpoints, allowUnsigned, threads: count };
}

/**
 * The offline verifiers are loaded only for their commands: node-jose, which they use, leaves fetch
 * unable to abort a response being read, so `custos events tail` would not end on Ctrl-C.
 */
async function run(command: Command): Promise<{ line: string; ok: boolean }> {
  const [{ readJwksFile }, { describeVerdict }, { inlineScanner, threadScanner }, { readKeptCheckpoints }, { verifyBundleFile }, { describeReportVerdict, sha256Of, signatureOf, verifyReport }] =
    await Promise.all([
      import('./audit/bundle-file.js'),
      import('./audit/bundle-verifier.js'),
      import('./audit/chunk-scanner.js'),
      import('./audit/kept-checkpoints.js'),
      import('./audit/verify-file.js'),
      import('./report/report-verifier.js'),
    ]);
  if (command.name === 'audit verify') {
    const jwks = command.jwks === undefined ? undefined : await readJwksFile(command.jwks);
    const kept = (await Promise.all(command.checkpoints.map(readKeptCheckpoints))).flat();
    const scanner = command.threads > 1 ? threadScanner(command.threads) : inlineScanner();
    const verdict = await verifyBundleFile(command.bundle, { jwks, kept, allowUnsigned: command.allowUnsigned, scanner });
    return { line: describeVerdict(verdict), ok: verdict.ok };
  }
  const [sha256, signature, jwks] = await Promise.all([sha256Of(command.report), readFile(command.signature, 'utf8'), readJwksFile(command.jwks)]);
  const verdict = await verifyReport(sha256, signatureOf(signature), jwks);
  return { line: describeReportVerdict(verdict), ok: verdict.ok };
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (SERVICE_GROUPS.has(argv.find((arg) => !arg.startsWith('-')) ?? '')) return runServiceCommand(argv, processIo());
  const { line, ok } = await run(commandOf(argv));
  process.stdout.write(`${line}\n`);
  return ok ? 0 : 1;
}

function processIo(): Io {
  return {
    stdout: (text) => void process.stdout.write(`${text}\n`),
    stderr: (text) => void process.stderr.write(`${text}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    stdinIsTty: process.stdin.isTTY === true,
    env: process.env,
    untilInterrupted: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof UsageError || error instanceof ServiceUsageError;
    process.stderr.write(usage ? `custos: ${message}\n\n${USAGE}\n` : `custos: ${message}\n`);

    process.exitCode = 2;
  },
);
