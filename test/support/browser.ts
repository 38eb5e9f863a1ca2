import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Browser tests skip, loudly, only when told to (scripts/test.js sets it when Chromium is missing). */
export function browserTestsSkipped(): boolean {
  if (process.env.TEST_SKIP_BROWSER === '1') {
    console.warn(
      '\n*** TEST_SKIP_BROWSER=1: the LTI browser tests (iframe, blocked cookies) are SKIPPED ***\n',
    );
    return true;
  }
  return false;
}

export interface BrowserOptions {
  /** Block third-party cookies (Chromium's cookie controls), set explicitly rather than trusted as default. */
  blockThirdPartyCookies: boolean;
  /**
   * Block every cookie of `site` while it is embedded under `embeddedIn` (partitioned ones too): what
   * Safari does to a cross-site iframe. Patterns are Chromium content-setting patterns.
   */
  blockCookiesOf?: { site: string; embeddedIn: string };
}

/** A fresh profile (new temp user-data-dir) of the system Chromium, headless, with explicit cookie rules. */
export async function launchBrowser(
  opts: BrowserOptions,
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixlti-chromium-'));
  const prefs: Record<string, unknown> = {
    profile: {
      // 1 = block third-party cookies (the "cookie controls" setting of chrome://settings/cookies).
      cookie_controls_mode: opts.blockThirdPartyCookies ? 1 : 0,
      block_third_party_cookies: opts.blockThirdPartyCookies,
      content_settings: opts.blockCookiesOf
        ? {
            exceptions: {
              cookies: { [`${opts.blockCookiesOf.site},${opts.blockCookiesOf.embeddedIn}`]: { setting: 2 } },
            },
          }
        : {},
    },
  };
  fs.mkdirSync(path.join(userDataDir, 'Default'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'Default', 'Preferences'), JSON.stringify(prefs));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 850 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
