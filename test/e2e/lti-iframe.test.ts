import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { createPlatformRepository } from '../../src/db/repositories/platforms';
import { browserTestsSkipped, launchBrowser } from '../support/browser';
import { createTestDb, type TestDb } from '../support/databases';
import { startPlatform, USERS, type SimulatedPlatform } from '../support/platform';
import { startStorageHost } from '../support/platform/storage-host';
import { startTool, type ToolServer } from '../integration/web/lti/tool-server';

const RESULTS = path.join(__dirname, '../../test-results');
const skip = browserTestsSkipped();
const describeBrowser = skip ? describe.skip : describe;

/** A tiny site to prove the browser really blocks a cookie set inside a cross-site iframe. */
async function startCookieControl() {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (u.pathname === '/top') return res.end(`<iframe id="f" src="${u.searchParams.get('src')}"></iframe>`);
    if (u.pathname === '/set') {
      res.setHeader('Set-Cookie', 'control=1; Path=/; SameSite=None; Secure');
      return res.end('set');
    }
    if (u.pathname === '/echo') return res.end(`<pre id="c">cookies:${req.headers.cookie ?? ''}</pre>`);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function frameUntil(
  page: Page,
  name: string,
  test: (f: Frame) => Promise<boolean>,
  timeoutMs = 20_000,
) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const f = page.frame({ name });
    if (f && (await test(f).catch(() => false))) return f;
    await page.waitForTimeout(100);
  }
  throw new Error(`frame ${name} never reached the expected state; last url ${page.frame({ name })?.url()}`);
}

describeBrowser('LTI inside a cross-site iframe with third-party cookies blocked (Chromium)', () => {
  let db: TestDb;
  let sim: SimulatedPlatform;
  let host: Awaited<ReturnType<typeof startStorageHost>>;
  let tool: ToolServer;
  let control: Awaited<ReturnType<typeof startCookieControl>>;

  beforeAll(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    db = await createTestDb('sqlite');
    sim = await startPlatform();
    host = await startStorageHost(sim);
    tool = await startTool(db);
    control = await startCookieControl();
    sim.setTool({ redirectUris: [`${tool.url}/lti/launch`], jwksUrl: `${tool.url}/.well-known/jwks.json` });
    // The platform's web origin (auth endpoint) is the storage host: 127.0.0.1, the tool is on localhost.
    await createPlatformRepository(db, tool.clock).add({
      ...sim.registration(),
      authEndpoint: `${host.url}/mod/lti/auth.php`,
      name: 'Simulated LMS',
      status: 'active',
      source: 'manual',
    });
  });
  afterAll(async () => {
    await control?.close();
    await tool?.close();
    await host?.close();
    await sim?.close();
    await db?.drop();
  });

  it('control: a cookie set inside the cross-site iframe does not come back; first-party it does', async () => {
    const browser = await launchBrowser({ blockThirdPartyCookies: true });
    try {
      const page = await browser.context.newPage();
      const third = `http://localhost:${control.port}`;
      await page.goto(`http://127.0.0.1:${control.port}/top?src=${encodeURIComponent(`${third}/set`)}`);
      await page.frameLocator('#f').locator('body').waitFor();
      await page.goto(`http://127.0.0.1:${control.port}/top?src=${encodeURIComponent(`${third}/echo`)}`);
      const inFrame = await page.frameLocator('#f').locator('#c').textContent();
      expect(inFrame).toBe('cookies:');
      await page.goto(`${third}/set`);
      await page.goto(`${third}/echo`);
      expect(await page.locator('#c').textContent()).toContain('control=1');
    } finally {
      await browser.close();
    }
  });

  it('(a) with lti_storage_target the launch completes through postMessage storage', async () => {
    const browser = await launchBrowser({ blockThirdPartyCookies: true });
    try {
      const page = await browser.context.newPage();
      const params = {
        ...sim.loginParams(USERS.learner, { targetLinkUri: `${tool.url}/lti/launch`, locale: 'en' }),
        lti_storage_target: '_parent',
      };
      const u = new URL(`${host.url}/course/storage-launch`);
      u.searchParams.set('login', `${tool.url}/lti/login`);
      u.searchParams.set('params', JSON.stringify(params));
      await page.goto(u.toString());
      const frame = await frameUntil(page, 'toolframe', async (f) => /[?&]ls=/.test(f.url()));
      const asked = (await page.evaluate('window.ltiStorageLog')) as string[];
      expect(asked).toEqual(expect.arrayContaining(['lti.capabilities', 'lti.put_data', 'lti.get_data']));
      const ls = new URL(frame.url()).searchParams.get('ls')!;
      await frame.goto(`${tool.url}/lti/activity?ls=${encodeURIComponent(ls)}`);
      await frame.locator('[data-field="user"]').waitFor();
      expect(await frame.locator('[data-field="user"]').textContent()).toBe('Léa Martin');
      await page.screenshot({ path: path.join(RESULTS, 'lti-a-postmessage-storage.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('(b) without lti_storage_target and with cookies blocked: the new-window step completes the launch', async () => {
    const browser = await launchBrowser({
      blockThirdPartyCookies: true,
      blockCookiesOf: { site: tool.url, embeddedIn: host.url },
    });
    try {
      const page = await browser.context.newPage();
      const hostPage = new URL(
        sim.hostPageUrl(`${tool.url}/lti/login`, USERS.instructor, {
          targetLinkUri: `${tool.url}/lti/launch`,
          locale: 'en',
        }),
      );
      const hint = (JSON.parse(hostPage.searchParams.get('params')!) as { lti_message_hint: string })
        .lti_message_hint;
      await page.goto(`${host.url}${hostPage.pathname}${hostPage.search}`);
      const frame = await frameUntil(
        page,
        'toolframe',
        async (f) => (await f.locator('#lti-new-window-link').count()) > 0,
      );
      await page.screenshot({ path: path.join(RESULTS, 'lti-b-new-window-step.png'), fullPage: true });
      // The simulator answers a message hint once; Moodle accepts it again for the new-window login.
      sim.reuseMessageHint(hint);
      const [popup] = await Promise.all([
        browser.context.waitForEvent('page'),
        frame.locator('#lti-new-window-link').click(),
      ]);
      await popup.waitForURL(/[?&]ls=/, { timeout: 20_000 });
      const ls = new URL(popup.url()).searchParams.get('ls')!;
      await popup.goto(`${tool.url}/lti/activity?ls=${encodeURIComponent(ls)}`);
      expect(await popup.locator('[data-field="user"]').textContent()).toBe('Claire Dubois');
      expect(await popup.locator('.lti-landing').getAttribute('data-view')).toBe('staff');
      await popup.screenshot({ path: path.join(RESULTS, 'lti-b-new-window-final.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('(c) the LMS frames the Dynamic Registration page before it is a platform of ours, and its pending login refusal', async () => {
    const lms = await startPlatform();
    const browser = await launchBrowser({ blockThirdPartyCookies: true });
    try {
      const page = await browser.context.newPage();
      // The LMS admin page (on 127.0.0.1) opens our registration URL in a frame, as Moodle does.
      const register = new URL(`${tool.url}/lti/register`);
      register.searchParams.set('openid_configuration', lms.openidConfigurationUrl);
      register.searchParams.set('registration_token', lms.registrationToken);
      const closes: unknown[] = [];
      await page.exposeFunction('recordClose', (data: unknown) => closes.push(data));
      await page.goto(`http://127.0.0.1:${control.port}/top?src=${encodeURIComponent(register.toString())}`);
      await page.evaluate(() => {
        window.addEventListener('message', (e) => {
          (window as unknown as { recordClose: (d: unknown) => void }).recordClose(e.data);
        });
      });
      const frame = page.frameLocator('#f');
      await frame.locator('[data-note="pending"]').waitFor({ timeout: 20_000 });
      await frame.locator('#lti-register-close').click();
      for (let i = 0; i < 50 && closes.length === 0; i++) await page.waitForTimeout(100);
      expect(closes).toContainEqual({ subject: 'org.imsglobal.lti.close' });
      await page.screenshot({ path: path.join(RESULTS, 'lti-c-registration-framed.png'), fullPage: true });

      // Still pending on our side: its first launch is refused with a page the frame shows.
      const n = lms.registrations.length + 1;
      lms.clientId = `dyn-client-${n}`;
      lms.deploymentId = String(n);
      const login = new URL(`${tool.url}/lti/login`);
      for (const [k, v] of Object.entries(
        lms.loginParams(USERS.learner, { targetLinkUri: `${tool.url}/lti/launch` }),
      ))
        login.searchParams.set(k, v);
      await page.goto(`http://127.0.0.1:${control.port}/top?src=${encodeURIComponent(login.toString())}`);
      const refusal = page.frameLocator('#f').locator('[role="alert"]');
      await refusal.waitFor({ timeout: 20_000 });
      expect(await refusal.textContent()).toContain('platform_inactive');
    } finally {
      await browser.close();
      await lms.close();
    }
  });
});
