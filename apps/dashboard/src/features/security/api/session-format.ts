import { countryName } from '../../../shared/format/format';

/** A country's flag from its ISO 3166-1 alpha-2 code (two regional indicator symbols); empty for none. */
export function flagOf(code: string | null | undefined): string {
  if (!code || !/^[A-Za-z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

/** "🇩🇪 Germany"; "Unknown" for a private or unplaced address. */
export function countryLabel(code: string | null | undefined): string {
  if (!code) return 'Unknown';
  return `${flagOf(code)} ${countryName(code)}`.trim();
}

const BROWSERS: Array<[RegExp, string]> = [
  [/Edg\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/HeadlessChrome\//, 'Headless Chrome'],
  [/Chrome\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
];

const SYSTEMS: Array<[RegExp, string]> = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** A session's device as people say it ("Firefox on Windows") from its User-Agent; the raw text when unknown. */
export function deviceName(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 60);
}

/** How a session started, in words. */
export function sessionMethodLabel(method: string): string {
  switch (method) {
    case 'password':
      return 'Password';
    case 'signup':
      return 'Sign-up';
    case 'sso':
      return 'Single sign-on';
    case 'invitation':
      return 'Invitation';
    default:
      return method;
  }
}

/** Below this many unused recovery codes the Security page asks for new ones. */
export const LOW_RECOVERY_CODES = 3;

/** The recovery codes as a text file to keep: what they are for, then one per line. */
export function recoveryCodesFile(codes: readonly string[], account: string): string {
  return [`Custos recovery codes for ${account}`, 'Each code signs you in once when you cannot use your authenticator app.', '', ...codes, ''].join('\n');
}
