import type { Browser } from 'playwright-core';
import { createTestDb, type TestDb } from '../support/databases';
import { startPlatform, USERS, type SimulatedPlatform } from '../support/platform';
import { contentBank, startTeacherTool, type TeacherTool } from '../integration/teacher/tool';
import { axeViolations, chromiumPath, launchChromium } from './teacher-browser';

const run = chromiumPath() ? describe : describe.skip;
if (!chromiumPath()) console.warn('teacher browser tests SKIPPED: no Chromium (set CHROMIUM_PATH)');

jest.setTimeout(120_000);

run('teacher pages in Chromium: catalogue and dashboard', () => {
  let browser: Browser;
  let db: TestDb;
  let sim: SimulatedPlatform;
  let tool: TeacherTool;

  beforeAll(async () => {
    contentBank();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    db = await createTestDb('sqlite');
    sim = await startPlatform();
    tool = await startTeacherTool(db);
    await tool.register(sim);
  });
  afterEach(async () => {
    await tool.close();
    await sim.close();
    await db.drop();
  });

  it('filters, selects two activities with their grading, and the platform receives a valid signed response', async () => {
    const launch = await sim.loginAndLaunch(tool.url, USERS.instructor, {
      messageType: 'LtiDeepLinkingRequest',
    });
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(launch.url);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Public').selectOption('college');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/audience=college/);
    await expect(page.locator('li.teacher-entry').count()).resolves.toBeGreaterThan(1);
    await page.locator('li[data-value="parcours:rentree-6e"] input[name="pick"]').check();
    await page.locator('li[data-value="parcours:rentree-6e"] select').selectOption('pix');
    await page.locator('li[data-value="module:mots-de-passe-solides"] input[name="pick"]').check();
    await page.getByRole('button', { name: 'Ajouter au cours' }).click();
    await page.waitForURL(/contentitem_return\.php/);
    expect(await page.locator('#added').textContent()).toBe('2');
    expect(sim.deepLinkRejections).toEqual([]);
    const items = sim.deepLinkResponses[0]![
      'https://purl.imsglobal.org/spec/lti-dl/claim/content_items'
    ] as Array<{
      custom: Record<string, string>;
    }>;
    expect(items.map((i) => i.custom)).toEqual([
      { activity: 'parcours:rentree-6e', grading: 'pix' },
      { activity: 'module:mots-de-passe-solides', grading: 'completion' },
    ]);
    await context.close();
  });

  it('works without JavaScript: the response goes back with the Continue button', async () => {
    const launch = await sim.loginAndLaunch(tool.url, USERS.instructor, {
      messageType: 'LtiDeepLinkingRequest',
      locale: 'en',
    });
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(launch.url);
    await page.locator('li[data-value="module:reconnaitre-hameconnage"] input[name="pick"]').check();
    await page.getByRole('button', { name: 'Add to the course' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/contentitem_return\.php/);
    expect(sim.deepLinkResponses).toHaveLength(1);
    await context.close();
  });

  it('renders the dashboard (heatmap, chart and its table) with no axe violation', async () => {
    const teacher = await sim.loginAndLaunch(tool.url, USERS.instructor, {
      custom: { activity: 'parcours:rentree-6e' },
    });
    expect(teacher.url).toContain('/teacher/dashboard');
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(teacher.url);
    await expect(page.locator('table.teacher-table tbody tr').count()).resolves.toBeGreaterThan(1);
    await expect(page.locator('figure.teacher-chart svg').count()).resolves.toBe(16);
    expect(await axeViolations(page)).toEqual([]);
    // Control: the checker does see a violation when there is one.
    await page.evaluate(() => document.querySelector('main')!.append(document.createElement('img')));
    expect((await axeViolations(page)).map((v) => v.id)).toContain('image-alt');
    await page.reload();
    await page.getByRole('link', { name: 'Léa Martin' }).click();
    await page.waitForURL(/\/teacher\/detail/);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
