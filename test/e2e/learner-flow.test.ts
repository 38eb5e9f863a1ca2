import fs from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { browserTestsSkipped, launchBrowser } from '../support/browser';
import { testContent } from '../support/app';
import { USERS, type SimUser } from '../support/platform';
import { startHarness, type Harness, rightAnswer } from '../integration/learning/harness';
import { axeOn, focused, frameAt, pageWeight, tabTo, type Violation } from './learner-browser';

const RESULTS = path.join(__dirname, '../../test-results');
const describeBrowser = browserTestsSkipped() ? describe.skip : describe;
const FRAME = 'toolframe';
const MAX_PAGE_BYTES = 100_000;

const learnerNamed = (id: string): SimUser => ({ ...USERS.learner, id });

describeBrowser('learner pages in a cross-site iframe, third-party cookies blocked (Chromium)', () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const violations: Violation[] = [];
  const weights: Record<string, number> = {};
  const audited = new Set<string>();

  beforeAll(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    h = await startHarness('sqlite');
    h.clock.set(Date.now());
    browser = await launchBrowser({ blockThirdPartyCookies: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Audits each kind of page once: axe-core and the page's weight before images. */
  async function audit(frame: Frame, label: string) {
    if (audited.has(label)) return;
    audited.add(label);
    violations.push(...(await axeOn(frame, label)));
    weights[label] = await pageWeight(frame);
  }

  /** Opens the simulated course page, which launches the tool into its iframe. */
  async function openCourse(
    user: SimUser,
    activity: string | undefined,
    resourceLinkId: string,
  ): Promise<Page> {
    const page = await browser.context.newPage();
    const url = h.sim.hostPageUrl(`${h.url}/lti/login`, user, {
      targetLinkUri: `${h.url}/lti/launch`,
      resourceLinkId,
      resourceLinkTitle: 'Activité',
      custom: activity ? { activity } : {},
    });
    await page.goto(url);
    return page;
  }

  async function pressAndWait(page: Page, frame: Frame, key = 'Enter') {
    await Promise.all([frame.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
  }

  /** Answers the challenge shown, with the keyboard only: a first choice, or a typed value. */
  async function answerByKeyboard(page: Page, frame: Frame) {
    expect((await focused(frame)).id).toBe('page-title');
    const fields = await frame.$$eval('input[name^="field."]', (els) => els.length);
    if (fields > 0) {
      for (let i = 0; i < fields; i++) {
        await tabTo(page, frame, (f) => f.name.startsWith('field.') && f.tag === 'input');
        await page.keyboard.type('4');
      }
    } else {
      await tabTo(page, frame, (f) => f.name === 'choice');
      await page.keyboard.press('Space');
    }
    await tabTo(page, frame, (f) => f.tag === 'button' && f.text === 'Valider ma réponse');
    await pressAndWait(page, frame);
  }

  it('takes an assessment with the keyboard alone, through checkpoints, to its results', async () => {
    const page = await openCourse(learnerNamed('kb-1'), 'rentree-6e', 'rl-kb');
    let frame = await frameAt(page, FRAME, '/learn');
    await audit(frame, 'start');
    await tabTo(page, frame, (f) => f.tag === 'button' && f.text === 'Commencer');
    await pressAndWait(page, frame);
    for (let i = 0; i < 120; i++) {
      frame = page.frame({ name: FRAME })!;
      const p = new URL(frame.url()).pathname;
      if (p === '/learn/results') break;
      if (p === '/learn/checkpoint') {
        await audit(frame, 'checkpoint');
        expect((await focused(frame)).id).toBe('page-title');
        await tabTo(page, frame, (f) => f.tag === 'a' && f.text === 'Continuer');
        await pressAndWait(page, frame);
        continue;
      }
      expect(p).toBe('/learn/challenge');
      const kind = (await frame.$('input[name^="field."]')) ? 'challenge (fields)' : 'challenge (choices)';
      await audit(frame, kind);
      await answerByKeyboard(page, frame);
    }
    frame = page.frame({ name: FRAME })!;
    expect(new URL(frame.url()).pathname).toBe('/learn/results');
    expect((await focused(frame)).id).toBe('page-title');
    await audit(frame, 'results');
    await page.screenshot({ path: path.join(RESULTS, 'learner-results.png') });
    await page.close();
  }, 180_000);

  it('leaves mid-way and resumes on the same challenge after a new launch', async () => {
    const user = learnerNamed('resume-b');
    let page = await openCourse(user, 'rentree-6e', 'rl-resume');
    let frame = await frameAt(page, FRAME, '/learn');
    await tabTo(page, frame, (f) => f.tag === 'button' && f.text === 'Commencer');
    await pressAndWait(page, frame);
    for (let i = 0; i < 2; i++) await answerByKeyboard(page, page.frame({ name: FRAME })!);
    frame = page.frame({ name: FRAME })!;
    const current = await frame.$eval('input[name="challengeId"]', (e) => (e as HTMLInputElement).value);
    await page.close();

    page = await openCourse(user, 'rentree-6e', 'rl-resume');
    frame = await frameAt(page, FRAME, '/learn');
    expect(await frame.textContent('button[type="submit"]')).toContain('Reprendre');
    await tabTo(page, frame, (f) => f.tag === 'button' && f.text === 'Reprendre');
    await pressAndWait(page, frame);
    frame = page.frame({ name: FRAME })!;
    expect(await frame.$eval('input[name="challengeId"]', (e) => (e as HTMLInputElement).value)).toBe(
      current,
    );
    expect(await frame.textContent('h1')).toBe('Question 3');

    // 320 px wide, top level: no horizontal scrolling.
    const ls = new URL(frame.url()).searchParams.get('ls')!;
    const narrow = await browser.context.newPage();
    await narrow.setViewportSize({ width: 320, height: 700 });
    await narrow.goto(`${h.url}/learn/challenge?ls=${ls}`);
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await narrow.screenshot({ path: path.join(RESULTS, 'learner-challenge-320.png'), fullPage: true });
    await narrow.close();
    await page.close();
  }, 120_000);

  it('completes a module with the keyboard alone; focus goes to the server’s feedback after each answer', async () => {
    const page = await openCourse(learnerNamed('kb-mod'), 'module:mots-de-passe-solides', 'rl-kb-mod');
    let frame = await frameAt(page, FRAME, '/learn');
    await tabTo(page, frame, (f) => f.tag === 'button' && f.text === 'Commencer');
    await pressAndWait(page, frame);
    const checked = new Set<string>();
    for (let presses = 0; presses < 600; presses++) {
      frame = page.frame({ name: FRAME })!;
      const p = new URL(frame.url()).pathname;
      if (p === '/learn/results') break;
      await audit(
        frame,
        `module grain ${new URL(frame.url()).searchParams.get('focus') ? 'with feedback' : 'fresh'}`,
      );
      await page.keyboard.press('Tab');
      const f = await focused(frame);
      const inElement = f.form.startsWith('/learn/module/element');
      if (f.tag === 'button' && (f.text === 'Vérifier' || f.text === 'J’ai parcouru les cartes')) {
        const element = await frame.evaluate(
          () =>
            (
              (document.activeElement as HTMLButtonElement).form!.elements.namedItem(
                'element',
              ) as HTMLInputElement
            ).value,
        );
        await pressAndWait(page, frame);
        frame = page.frame({ name: FRAME })!;
        expect((await focused(frame)).id).toBe(`fb-${element}`);
      } else if (f.tag === 'button' && (f.text === 'Continuer' || f.text === 'Terminer le module')) {
        await pressAndWait(page, frame);
        frame = page.frame({ name: FRAME })!;
        if (new URL(frame.url()).pathname === '/learn/module') {
          expect((await focused(frame)).id).toBe('page-title');
        }
      } else if (inElement && f.type === 'radio' && !f.checked && !checked.has(`${f.form}|${f.name}`)) {
        checked.add(`${f.form}|${f.name}`);
        await page.keyboard.press('Space');
      } else if (inElement && f.type === 'checkbox' && !checked.has(`${f.form}|cb`)) {
        checked.add(`${f.form}|cb`);
        await page.keyboard.press('Space');
      } else if (inElement && f.tag === 'input' && f.type === 'text') {
        const empty = await frame.evaluate(() => !(document.activeElement as HTMLInputElement).value);
        if (empty) await page.keyboard.type('12');
      }
    }
    frame = page.frame({ name: FRAME })!;
    expect(new URL(frame.url()).pathname).toBe('/learn/results');
    expect(await frame.textContent('main')).toMatch(/Module terminé/);
    await page.close();
  }, 240_000);

  it('the other learner pages pass axe too: unconfigured, chooser, attestation, public check', async () => {
    // Unconfigured link (learner), then the instructor's chooser, in the iframe.
    let page = await openCourse(learnerNamed('axe-u'), undefined, 'rl-unconf');
    let frame = await frameAt(page, FRAME, '/learn');
    expect(await frame.textContent('h1')).toBe('Activité pas encore choisie');
    await audit(frame, 'unconfigured');
    await page.close();
    page = await openCourse(USERS.instructor, undefined, 'rl-unconf');
    frame = await frameAt(page, FRAME, '/learn/choose');
    await audit(frame, 'chooser');
    await page.close();

    // An attestation earned over HTTP (module then quiz, right answers), then its pages in the browser.
    const user = learnerNamed('axe-att');
    const launch = await h.launch(user, { activity: 'attestation-6e', resourceLinkId: 'rl-att-b' });
    await h.post('/learn/start', launch.ls, {});
    for (let i = 0; i < 60; i++) {
      const m = await h.get('/learn/module', launch.ls);
      if (new URL(m.url).pathname !== '/learn/module') break;
      const grain = /action="\/learn\/module\/continue"[\s\S]*?name="grain" value="([^"]+)"/.exec(
        m.body,
      )![1]!;
      await h.post('/learn/module/continue', launch.ls, { grain });
    }
    await h.post('/learn/start', launch.ls, {});
    for (let i = 0; i < 30; i++) {
      const c = await h.get('/learn/challenge', launch.ls);
      if (new URL(c.url).pathname !== '/learn/challenge') break;
      const id = /name="challengeId" value="([^"]+)"/.exec(c.body)![1]!;
      await h.post('/learn/answer', launch.ls, [
        ['challengeId', id],
        ...rightAnswer(testContent().challenges.get(id)!),
      ]);
    }
    const top = await browser.context.newPage();
    await top.goto(`${h.url}/learn/results?ls=${launch.ls}`);
    const code = (await top.textContent('[data-field="code"]'))!;
    expect(code).toMatch(/^[A-Z2-9-]{14}$/);
    await audit(top.mainFrame(), 'results with attestation');
    await top.goto(`${h.url}/learn/attestation?ls=${launch.ls}`);
    await audit(top.mainFrame(), 'attestation');
    await top.goto(`${h.url}/attestations/${code}`);
    await audit(top.mainFrame(), 'public check');
    await top.goto(`${h.url}/attestations/ZZZZ-ZZZZ-ZZZZ`);
    await audit(top.mainFrame(), 'public check (unknown)');
    await top.close();
  }, 120_000);

  it('reports no axe violation on any page, and every page under 100 kB before images', () => {
    fs.writeFileSync(
      path.join(RESULTS, 'learner-audit.json'),
      JSON.stringify({ violations, weights }, null, 2),
    );
    expect(audited.size).toBeGreaterThanOrEqual(10);
    expect(violations).toEqual([]);
    for (const [label, bytes] of Object.entries(weights))
      expect([label, bytes < MAX_PAGE_BYTES]).toEqual([label, true]);
  });
});
