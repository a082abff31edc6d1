import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** 1-based line of its opening fence. */
  line: number;
  /** The fence's info string up to the first blank ('' when it has none). */
  lang: string;
  code: string;
  /** The reason of a `<!-- readme-test: skip (reason) -->` right before the fence, else null. */
  skip: string | null;
}

/** Languages whose blocks a reader pastes into a shell. */
export const SHELL_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'bash', 'shell', 'console']);

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const SKIP_MARKER = /^<!--\s*readme-test:\s*skip\s*\(([^)]+)\)\s*-->$/;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s/;

export interface MarkdownCode {
  blocks: CodeBlock[];
  /** Lines that open an indented code block: it has no language, so it could be neither run nor skipped. */
  indented: number[];
  /** Lines of skip markers that are not right before a fence. */
  strayMarkers: number[];
}

/**
 * The code of a Markdown file as a reader sees it. Enough of CommonMark for a README: fences of ``` or
 * ~~~, and indented code blocks (four spaces after a blank line, outside a list) reported so that
 * every block has a language.
 */
export function codeOf(markdown: string): MarkdownCode {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  const indented: number[] = [];
  const strayMarkers: number[] = [];
  let marker: { line: number; reason: string } | null = null;
  let inList = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const fence = FENCE.exec(text);
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence[1]![0]}{${fence[1]!.length},}\\s*$`);
      const start = i;
      const code: string[] = [];
      while (++i < lines.length && !close.test(lines[i]!)) code.push(lines[i]!);
      blocks.push({ line: start + 1, lang: fence[2]!, code: code.join('\n'), skip: marker?.reason ?? null });
      marker = null;
      inList = false;
      continue;
    }
    if (text.trim() === '') continue;
    if (marker) strayMarkers.push(marker.line);
    marker = null;
    const skip = SKIP_MARKER.exec(text.trim());
    if (skip) {
      marker = { line: i + 1, reason: skip[1]!.trim() };
      continue;
    }
    const indent = /^( {4,}|\t)/.test(text);
    if (LIST_ITEM.test(text)) inList = true;
    else if (!/^\s/.test(text)) inList = false;
    if (indent && !inList && (lines[i - 1] ?? '').trim() === '') indented.push(i + 1);
  }
  if (marker) strayMarkers.push(marker.line);
  return { blocks, indented, strayMarkers };
}

/**
 * What a reader types from a shell block: all of an sh/bash block; from a console block, the lines after
 * its `$ ` prompts (with their continuation lines), not the output shown between them.
 */
export function commandsOf(block: CodeBlock): string {
  if (block.lang !== 'console') return block.code;
  const commands: string[] = [];
  let continued = false;
  for (const line of block.code.split('\n')) {
    if (continued) commands.push(line);
    else if (line.startsWith('$ ')) commands.push(line.slice(2));
    else continue;
    continued = line.endsWith('\\');
  }
  return commands.join('\n');
}

export interface BlockRun {
  /** Whether the block ran to its end (the shell stops at the first command that fails). */
  done: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs blocks in order in one fresh `bash -euo pipefail` (no profile, no rc file), as a reader pasting
 * them one after the other into the same terminal: variables, functions and files carry over. Each
 * block's output is kept apart. `env` is the whole environment of the shell.
 */
export async function runInOneShell(
  codes: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; shellStderr: string; blocks: BlockRun[] }> {
  // The shell's bookkeeping stays out of the directory the blocks work in.
  const books = mkdtempSync(join(tmpdir(), 'custos-readme-run-'));
  const file = (i: number, what: 'out' | 'err' | 'done'): string => join(books, `block-${i}.${what}`);
  const quoted = (path: string): string => `'${path.replaceAll("'", `'\\''`)}'`;
  // A group, not a subshell, so that what a block sets stays for the next one.
  const script = codes
    .map((code, i) => `{\n${code}\n} >${quoted(file(i, 'out'))} 2>${quoted(file(i, 'err'))}\n: >${quoted(file(i, 'done'))}\n`)
    .join('');
  const scriptFile = join(books, 'blocks.sh');
  writeFileSync(scriptFile, script);
  // No stdin, as nothing in a README should wait for typing; the shell's own stderr tells of a syntax error.
  const child = spawn('bash', ['--noprofile', '--norc', '-euo', 'pipefail', scriptFile], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: options.timeoutMs,
  });
  let shellStderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (shellStderr += chunk.toString('utf8')));
  const { exitCode, signal } = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('close', (code, sig) => done({ exitCode: code, signal: sig })),
  );
  const read = (path: string): string | null => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  };
  const blocks = codes.map((_, i) => ({
    done: read(file(i, 'done')) !== null,
    stdout: read(file(i, 'out')) ?? '',
    stderr: read(file(i, 'err')) ?? '',
  }));
  rmSync(books, { recursive: true, force: true });
  return { exitCode, signal, shellStderr, blocks };
}
