import fs from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';

const AXE = fs.readFileSync(path.join(__dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

export interface Violation {
  page: string;
  id: string;
  help: string;
  targets: string[];
}

/** axe-core (WCAG 2.1 A/AA and best practices) on a frame or page as it is now. */
export async function axeOn(target: Frame | Page, label: string): Promise<Violation[]> {
  // Injected through the DevTools protocol: the tool's CSP (script-src 'self') does not apply to it.
  await target.evaluate(AXE);
  const violations = await target.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: unknown,
          ) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.map((v) => ({ page: label, ...v }));
}

/** The element that has the keyboard focus inside the frame, described. */
export async function focused(frame: Frame) {
  return frame.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { tag: '', id: '', type: '', name: '', text: '', checked: false, form: '' };
    const input = el as HTMLInputElement;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: input.type ?? '',
      name: input.name ?? '',
      text: (el.textContent ?? '').trim().slice(0, 80),
      checked: Boolean(input.checked),
      form: input.form?.getAttribute('action') ?? '',
    };
  });
}

/** Presses Tab until the focused element satisfies `want` (at most `max` presses). */
export async function tabTo(
  page: Page,
  frame: Frame,
  want: (f: Awaited<ReturnType<typeof focused>>) => boolean,
  max = 60,
) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(frame);
    if (want(f)) return f;
  }
  throw new Error('Tab never reached the wanted element');
}

/** Waits until the frame has navigated to a path (and loaded). */
export async function frameAt(page: Page, name: string, pathPrefix: string | RegExp, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const f = page.frame({ name });
    if (f) {
      const p = new URL(f.url() || 'about:blank', 'http://x').pathname;
      const ok = typeof pathPrefix === 'string' ? p === pathPrefix : pathPrefix.test(p);
      if (ok) {
        await f.waitForLoadState('load').catch(() => undefined);
        if (await f.$('h1').catch(() => null)) return f;
      }
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`frame ${name} never reached ${String(pathPrefix)}; at ${page.frame({ name })?.url()}`);
}

/** Bytes of the HTML, stylesheets and scripts a page loads (images excluded). */
export async function pageWeight(frame: Frame): Promise<number> {
  return frame.evaluate(async () => {
    const html = new Blob([document.documentElement.outerHTML]).size;
    const assets = [
      ...Array.from(document.querySelectorAll('link[rel=stylesheet]')).map(
        (l) => (l as HTMLLinkElement).href,
      ),
      ...Array.from(document.querySelectorAll('script[src]')).map((s) => (s as HTMLScriptElement).src),
    ];
    let total = html;
    for (const a of assets) total += (await (await fetch(a)).blob()).size;
    return total;
  });
}
