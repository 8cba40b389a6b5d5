/** Headless Debian Chromium through playwright-core, or a clear note when it is not installed. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let noted = false;

/** False (after printing why, once) when the browser tests have to be skipped. */
export function hasChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (!noted)
    console.log(
      `NOTE: ${CHROMIUM} is missing, so the dashboard browser tests are skipped (apt-get install -y chromium).`,
    );
  noted = true;
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
