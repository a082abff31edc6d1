import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@custos/testing';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's chromium: a browser download never works here, so the test command installs this one. */
const CHROMIUM = process.env.CUSTOS_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const DASHBOARD_INDEX = join(REPO_ROOT, 'dist', 'apps', 'dashboard', 'index.html');

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless chromium with a fresh profile of its own, removed again on close. */
export async function launchBrowser(viewport = { width: 1280, height: 860 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (npm test does when it can), or set CUSTOS_CHROMIUM`);
  }
  if (!existsSync(DASHBOARD_INDEX)) throw new Error(`${DASHBOARD_INDEX} is missing: run \`npm run build:dashboard\` first`);
  const profile = await mkdtemp(join(tmpdir(), 'custos-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a picture of the page for docs/dashboard.md, only when asked (`CUSTOS_SCREENSHOTS=1`): a test run
 * must not rewrite tracked files. With `part`, only that part of the page (a section of a long form).
 */
export async function screenshot(page: Page, name: string, part?: Locator): Promise<void> {
  if (process.env.CUSTOS_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The picture shows the page, not a toast that happened to be in flight, nor a half-done transition.
  const hideToasts = await page.addStyleTag({ content: '.mantine-Notifications-root { display: none !important; }' });
  await page.waitForTimeout(300);
  const path = join(SCREENSHOTS, `${name}.png`);
  // Taking a tall part scrolls the page under the fixed header, which would show across the picture.
  if (part) await part.screenshot({ path, style: '.mantine-AppShell-header { visibility: hidden !important; }' });
  else await page.screenshot({ path, fullPage: true });
  // The app is a single page: without this the style would outlive the picture and hide later toasts.
  await hideToasts.evaluate((style) => style.remove());
}

/** Waits until the locator shows, reloading the page between tries (for effects that land just after). */
export async function eventually(page: Page, locator: Locator, tries = 5): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await locator.first().waitFor({ state: 'visible', timeout: 3_000 });
      return;
    } catch (error) {
      if (i >= tries) throw error;
      await page.reload();
    }
  }
}

/** Logs in through the login form and waits for the overview. */
export async function logIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(/^E-mail/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/overview$/);
}

/** Logs out from the overview (a page without a drawer, whose overlay would cover the header's button). */
export async function logOut(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/overview`);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/login$/);
}

/** The value of a Fact (shared/components/Fact.tsx) labelled `label` inside `scope`. */
export function factIn(scope: Locator, label: string): Locator {
  return scope.locator('div').filter({ has: scope.page().getByText(label, { exact: true }) }).last().locator('> :nth-child(2)');
}

/** The texts of a table's body cells, row by row. */
export async function bodyRows(table: Locator): Promise<string[][]> {
  const out: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) out.push(await row.locator('td').allTextContents());
  return out;
}
