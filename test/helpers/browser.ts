import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Debian's Chromium: found, or installed with apt-get when this runs as root (browser downloads by test
 * tools do not work here). Fails with what to do when neither works; the browser tests never skip silently.
 */
function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  let reason = 'not running as root, so apt-get cannot install it';
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    try {
      execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq chromium'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        stdio: 'pipe',
        timeout: 10 * 60_000,
      });
      if (existsSync(CHROMIUM)) return CHROMIUM;
      reason = `apt-get installed chromium but ${CHROMIUM} is still missing`;
    } catch (error) {
      reason = `apt-get install chromium failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim().slice(-300)}`;
    }
  }
  throw new Error(
    `The theme snippet tests need Chromium at ${CHROMIUM} (${reason}). ` +
      'Install it with "apt-get install chromium", or set CHROMIUM_PATH to a Chromium binary.',
  );
}

/** Headless Chromium with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
