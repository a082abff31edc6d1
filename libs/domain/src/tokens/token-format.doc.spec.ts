import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE62_ALPHABET } from './base62';
import { CHECKSUM_LENGTH, LOOKUP_ID_LENGTH, SECRET_LENGTH, TOKEN_PATTERN, TOKEN_SCAN_PATTERN, parseToken } from './token-format';

/** docs/token-format.md, read as a user would: it must say what the code does, so it cannot drift again. */
const DOC = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'token-format.md'), 'utf8').split('\n');
const BODY_LENGTH = LOOKUP_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;

/** The indented code block right after `heading` (a line starting with it). */
function blockAfter(heading: string): string[] {
  const at = DOC.findIndex((line) => line.startsWith(heading));
  if (at === -1) throw new Error(`docs/token-format.md has no line starting "${heading}"`);
  const start = DOC.findIndex((line, i) => i > at && line.startsWith('    '));
  const end = DOC.findIndex((line, i) => i > start && !line.startsWith('    '));
  return DOC.slice(start, end).map((line) => line.slice(4));
}

/** [first, last] column of each └…┘ bracket of the diagram line. */
function brackets(line: string): Array<[number, number]> {
  return [...line.matchAll(/└[─┬]*┘/g)].map((m) => [m.index, m.index + m[0].length - 1]);
}

describe('docs/token-format.md', () => {
  const [example = '', diagram = '', ...labels] = blockAfter('Every Custos token looks like this');
  const documentedScanPattern = blockAfter('## For secret scanners')[0] ?? '';

  it('shows a token the code accepts, checksum included', () => {
    expect(example).toMatch(TOKEN_PATTERN);
    expect(parseToken(example)).toMatchObject({ raw: example, lookupId: example.slice(9, 9 + LOOKUP_ID_LENGTH) });
  });

  it('documents the scanner pattern the code uses, and the example matches it', () => {
    expect(documentedScanPattern).toBe(TOKEN_SCAN_PATTERN);
    expect(example).toMatch(new RegExp(documentedScanPattern));
  });

  it('states the body length and the checksum alphabet of the code', () => {
    expect(DOC.join('\n')).toContain(`is ${BODY_LENGTH} characters of \`[0-9A-Za-z]\``);
    expect(DOC.join('\n')).toContain(`\`${BASE62_ALPHABET}\``);
  });

  it('brackets each part of the example where it is, with its length', () => {
    const environment = example.split('_')[1] ?? '';
    const lookupStart = 'cus_'.length + environment.length + 1;
    const secretStart = lookupStart + LOOKUP_ID_LENGTH;
    const checksumStart = secretStart + SECRET_LENGTH;
    expect(brackets(diagram)).toEqual([
      [0, 2], // cus
      [4, 4 + environment.length - 1],
      [lookupStart, secretStart - 1],
      [secretStart, checksumStart - 1],
      [checksumStart, checksumStart + CHECKSUM_LENGTH - 1],
    ]);
    const text = labels.join('\n');
    expect(text).toContain(`lookup id (${LOOKUP_ID_LENGTH})`);
    expect(text).toContain(`secret (${SECRET_LENGTH})`);
    expect(text).toContain(`checksum (${CHECKSUM_LENGTH})`);
  });
});
