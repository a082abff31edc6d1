import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { BASE62_ALPHABET, randomBase62 } from './base62';
import { containsSecret } from './secrets-in-text';
import { CHECKSUM_LENGTH, LOOKUP_ID_LENGTH, SECRET_LENGTH, TOKEN_SCAN_PATTERN, generateToken, parseToken } from './token-format';

/**
 * docs/secret-scanning/, read the way gitleaks and trufflehog read it: the rules we publish must find
 * every token Custos issues, nothing of another shape, and the README's claim that look-alikes match
 * but fail the checksum must hold.
 */
const DIR = resolve(__dirname, '../../../../docs/secret-scanning');
const read = (name: string): string => readFileSync(resolve(DIR, name), 'utf8');
const BODY_LENGTH = LOOKUP_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;

type Table = Record<string, unknown>;

function table(value: unknown, what: string): Table {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not a table`);
  return value as Table;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
}

function texts(value: unknown, what: string): string[] {
  return list(value, what).map((item, i) => text(item, `${what}[${i}]`));
}

function optionalNumber(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new Error(`${what} is not a number`);
  return value;
}

/** gitleaks' README, "Configuration": gitleaks ignores keys it does not know, so a misspelt one would go unnoticed. */
const GITLEAKS_KEYS = {
  top: ['title', 'description', 'extend', 'rules', 'allowlists'],
  extend: ['useDefault', 'path', 'disabledRules'],
  rule: ['id', 'description', 'regex', 'secretGroup', 'entropy', 'path', 'keywords', 'tags', 'allowlists'],
};
/**
 * trufflehog's proto/config.proto and proto/custom_detectors.proto (CustomRegex), minus `verify`: it parses
 * strictly, and one unknown key fails the whole file.
 */
const TRUFFLEHOG_KEYS = {
  top: ['detectors', 'sources'],
  detector: [
    'name', 'description', 'keywords', 'regex', 'entropy', 'exclude_words', 'exclude_regexes_capture',
    'exclude_regexes_match', 'primary_regex_name', 'validations',
  ],
};

interface Rule {
  keywords: string[];
  regex: string;
  entropy: number | undefined;
}

const gitleaksConfig = table(parseToml(read('gitleaks.toml')), 'gitleaks.toml');
const gitleaksRuleTable = list(gitleaksConfig['rules'], 'rules')
  .map((rule, i) => table(rule, `rules[${i}]`))
  .find((rule) => rule['id'] === 'custos-api-token');
if (!gitleaksRuleTable) throw new Error('gitleaks.toml has no rule custos-api-token');
const gitleaksRule: Rule = {
  keywords: texts(gitleaksRuleTable['keywords'], 'keywords'),
  regex: text(gitleaksRuleTable['regex'], 'regex'),
  entropy: optionalNumber(gitleaksRuleTable['entropy'], 'entropy'),
};

const trufflehogConfig = table(parseYaml(read('trufflehog.yaml')), 'trufflehog.yaml');
const trufflehogDetectorTable = list(trufflehogConfig['detectors'], 'detectors')
  .map((detector, i) => table(detector, `detectors[${i}]`))
  .find((detector) => detector['name'] === 'custos-api-token');
if (!trufflehogDetectorTable) throw new Error('trufflehog.yaml has no detector custos-api-token');
const trufflehogRegexes = Object.values(table(trufflehogDetectorTable['regex'], 'regex')).map((r, i) => text(r, `regex[${i}]`));
const trufflehogRule: Rule = {
  keywords: texts(trufflehogDetectorTable['keywords'], 'keywords'),
  regex: trufflehogRegexes[0] ?? '',
  entropy: optionalNumber(trufflehogDetectorTable['entropy'], 'entropy'),
};

/** Shannon entropy in bits per character, as both scanners compute it. */
function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) entropy -= (count / value.length) * Math.log2(count / value.length);
  return entropy;
}

/**
 * A keyword (case-insensitive) gates the regex; Go's FindAll finds the same non-overlapping matches as
 * a JS global regex for a pattern in the RE2/JS common subset.
 */
function matchesOf(rule: Rule, input: string): RegExpExecArray[] {
  const lower = input.toLowerCase();
  if (!rule.keywords.some((keyword) => lower.includes(keyword.toLowerCase()))) return [];
  return [...input.matchAll(new RegExp(rule.regex, 'g'))];
}

/** gitleaks (detect/detect.go): the first non-empty capture group, else the whole match, is the secret. */
function gitleaksFindings(input: string): string[] {
  return matchesOf(gitleaksRule, input)
    .map((m) => m.slice(1).find((group) => group) ?? m[0])
    .filter((secret) => gitleaksRule.entropy === undefined || shannonEntropy(secret) > gitleaksRule.entropy);
}

/** trufflehog (pkg/custom_detectors): the first capture group if there is one, else the whole match. */
function trufflehogFindings(input: string): string[] {
  return matchesOf(trufflehogRule, input)
    .map((m) => (m.length > 1 ? (m[1] ?? '') : m[0]))
    .filter((secret) => trufflehogRule.entropy === undefined || shannonEntropy(secret) >= trufflehogRule.entropy);
}

const SCANNERS = [
  ['gitleaks', gitleaksFindings],
  ['trufflehog', trufflehogFindings],
] as const;

/** The offline check as README.md spells it out, step by step, not through parseToken. */
function passesDocumentedChecksum(match: string): boolean {
  let rest = crc32(match.slice(0, -6));
  let digits = '';
  for (let i = 0; i < 6; i++) {
    digits = BASE62_ALPHABET[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  }
  return digits === match.slice(-6);
}

const tokens = Array.from({ length: 1000 }, (_, i) => generateToken(i % 2 === 0 ? 'live' : 'test').raw);

const CONTEXTS: Array<[string, (token: string) => string]> = [
  ['alone', (token) => token],
  ['a .env line', (token) => `# payments\nCUSTOS_KEY=${token}\nLOG_LEVEL=info\n`],
  ['JSON', (token) => `{\n  "name": "billing",\n  "key": "${token}",\n  "retries": 3\n}`],
  ['a URL query', (token) => `curl 'https://custos.example.com/v1/check?token=${token}&verbose=1'`],
];

/**
 * Same shape, wrong checksum: one checksum character changed, and bodies drawn at random (whose last 6
 * characters hit the right checksum once in 62^6 draws).
 */
const lookAlikes = [
  ...tokens.slice(0, 500).map((token, i) => {
    const at = token.length - 1 - (i % CHECKSUM_LENGTH);
    const other = BASE62_ALPHABET[(BASE62_ALPHABET.indexOf(token[at]!) + 1 + (i % 61)) % 62];
    return token.slice(0, at) + other + token.slice(at + 1);
  }),
  ...Array.from({ length: 500 }, (_, i) => `cus_${i % 2 === 0 ? 'live' : 'test'}_${randomBase62(BODY_LENGTH)}`),
];

describe('docs/secret-scanning', () => {
  it('uses only documented keys: a gitleaks rule added to the defaults, a trufflehog detector with no verify endpoint', () => {
    expect(GITLEAKS_KEYS.top).toEqual(expect.arrayContaining(Object.keys(gitleaksConfig)));
    expect(GITLEAKS_KEYS.extend).toEqual(expect.arrayContaining(Object.keys(table(gitleaksConfig['extend'], 'extend'))));
    expect(table(gitleaksConfig['extend'], 'extend')['useDefault']).toBe(true);
    expect(GITLEAKS_KEYS.rule).toEqual(expect.arrayContaining(Object.keys(gitleaksRuleTable)));
    expect(gitleaksRuleTable['description']).toEqual(expect.any(String));

    expect(TRUFFLEHOG_KEYS.top).toEqual(expect.arrayContaining(Object.keys(trufflehogConfig)));
    expect(TRUFFLEHOG_KEYS.detector).toEqual(expect.arrayContaining(Object.keys(trufflehogDetectorTable)));
    expect(trufflehogDetectorTable).not.toHaveProperty('verify');
    expect(trufflehogRegexes).toHaveLength(1);

    for (const rule of [gitleaksRule, trufflehogRule]) expect(rule.keywords).toEqual(['cus_live_', 'cus_test_']);
  });

  it('scans with TOKEN_SCAN_PATTERN itself, which has no capture group, so the whole match is reported', () => {
    expect(gitleaksRule.regex).toBe(TOKEN_SCAN_PATTERN);
    expect(trufflehogRule.regex).toBe(TOKEN_SCAN_PATTERN);
    // An alternative that matches the empty string reveals how many groups the pattern has.
    expect(new RegExp(`${TOKEN_SCAN_PATTERN}|`).exec('')).toHaveLength(1);
  });

  it('keeps the pattern in what Go RE2 and JavaScript read alike: no lookaround, backreferences or JS-style named groups', () => {
    for (const construct of ['(?<', '(?=', '(?!', '(?>', '\\k<']) expect(TOKEN_SCAN_PATTERN).not.toContain(construct);
    expect(TOKEN_SCAN_PATTERN).not.toMatch(/\\[1-9]/);
  });

  it.each(SCANNERS)('%s finds each of 1,000 generated tokens alone, in a .env line, in JSON and in a URL', (_name, findings) => {
    const missed: string[] = [];
    for (const token of tokens) {
      for (const [where, embed] of CONTEXTS) {
        const found = findings(embed(token));
        if (found.length !== 1 || found[0] !== token) missed.push(`${where}: ${token} -> ${JSON.stringify(found)}`);
      }
    }
    expect(missed).toEqual([]);
    expect(findings(tokens.join('\n'))).toEqual(tokens);
  });

  it.each(SCANNERS)('%s finds nothing of another shape', (_name, findings) => {
    const token = generateToken('live').raw;
    const body = token.slice('cus_live_'.length);
    const nonTokens = [
      `cus_prod_${body}`,
      `CUS_LIVE_${body}`,
      token.slice(0, -1),
      `${token}A`, // one character too many: no boundary after the 61st
      `${token}${randomBase62(20)}`,
      `cus_session_${randomBytes(32).toString('base64url')}`,
      `cus_session_${body}`,
      'cus_live_',
    ];
    for (const nonToken of nonTokens) expect(findings(`CUSTOS_KEY=${nonToken}\n`)).toEqual([]);
  });

  it.each(SCANNERS)("%s leaves a token glued to a word character to Custos's own boundary-free check", (_name, findings) => {
    const token = generateToken('test').raw;
    for (const glued of [`x${token}`, `x_${token}`, `${token}_y`]) {
      expect(findings(glued)).toEqual([]);
      expect(containsSecret(glued)).toBe(true);
    }
  });

  it.each(SCANNERS)('%s matches look-alikes too (shape only), and the documented checksum step rejects every one', (_name, findings) => {
    for (const lookAlike of lookAlikes) {
      expect(findings(`CUSTOS_KEY=${lookAlike}`)).toEqual([lookAlike]);
      expect(parseToken(lookAlike)).toBeNull();
      expect(passesDocumentedChecksum(lookAlike)).toBe(false);
    }
    for (const token of tokens) expect(passesDocumentedChecksum(token)).toBe(true);
  });
});

describe('docs/secret-scanning/README.md', () => {
  const readme = read('README.md');
  const lines = readme.split('\n');

  it('prints the pattern the rules use and the alphabet of the checksum step', () => {
    const at = lines.findIndex((line) => line.startsWith('    '));
    expect(lines[at]?.slice(4)).toBe(TOKEN_SCAN_PATTERN);
    expect(readme).toContain(`\`${BASE62_ALPHABET}\``);
  });

  it('shows how to pass each file to its scanner', () => {
    expect(readme).toContain('gitleaks git --config docs/secret-scanning/gitleaks.toml');
    expect(readme).toContain('trufflehog filesystem <path> --config=docs/secret-scanning/trufflehog.yaml');
  });

  it('links only to files that exist, and docs/token-format.md links to it', () => {
    const targets = [...readme.matchAll(/\]\(([^)#]+)[^)]*\)/g)].map((m) => m[1]!);
    expect(targets).toEqual(expect.arrayContaining(['../token-format.md', 'gitleaks.toml', 'trufflehog.yaml']));
    for (const target of targets) expect(existsSync(resolve(DIR, target))).toBe(true);
    const tokenFormat = readFileSync(resolve(dirname(DIR), 'token-format.md'), 'utf8');
    expect(tokenFormat).toContain('](secret-scanning/README.md)');
  });
});
