import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PORTAL_DIR } from '../../src/http/portal.js';
import { projectRoot } from '../../src/paths.js';

/** Browser tests run on Debian's Chromium (headless), never a downloaded browser; without it they are skipped with why. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserMissing = !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`
  : !fs.existsSync(path.join(PORTAL_DIR, 'index.html')) ? 'the portal is not built (npm run build:web)' : false;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const AXE = path.join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js');

/** A screenshot of the screen into test-artifacts/<dir>/, and axe-core's WCAG 2.1 A/AA rules on it: zero violations. */
export async function shotAndAxe(page: Page, dir: string, name: string): Promise<void> {
  const shots = path.join(projectRoot, 'test-artifacts', dir);
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3).join(', ')})`);
  });
  assert.deepEqual(violations, [], `accessibility violations on ${name}`);
}

/**
 * Each test closes its page when it passes, so a page still open after a test is a failed test's: what it showed is
 * printed and saved (test-artifacts/<dir>/failed-*.png), so a failure in CI says where the page stood.
 */
export async function reportPagesLeftOpen(browser: Browser | undefined, dir: string): Promise<void> {
  for (const context of browser?.contexts() ?? []) {
    for (const [i, page] of context.pages().entries()) {
      const text = await page.locator('body').innerText({ timeout: 2_000 }).catch(() => '(the page could not be read)');
      console.log(`# page left open by a failed test, at ${page.url()}:\n# ${text.trim().replace(/\n+/g, '\n# ').slice(0, 3_000)}`);
      fs.mkdirSync(path.join(projectRoot, 'test-artifacts', dir), { recursive: true });
      await page.screenshot({ path: path.join(projectRoot, 'test-artifacts', dir, `failed-${Date.now()}-${i}.png`), fullPage: true }).catch(() => {});
    }
    await context.close();
  }
}
