#!/usr/bin/env node
// The part of `npm run build:server` swc does not do: the data files the server code reads beside itself
// (join(__dirname, ...)) are copied to the same place under dist/, so the compiled code finds them as the
// sources do. Today: the list of common passwords (libs/domain/src/accounts/password-rules.ts).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASSETS = ['libs/domain/src/accounts/common-passwords.txt.gz'];

for (const asset of ASSETS) {
  const target = join(ROOT, 'dist', asset);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(ROOT, asset), target);
}
