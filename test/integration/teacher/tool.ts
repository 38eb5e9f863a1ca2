import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadConfig } from '../../../src/config';
import type { ContentBank } from '../../../src/content/bank';
import { loadContent } from '../../../src/content/load';
import { createPlatformRepository, type PlatformRecord } from '../../../src/db/repositories/platforms';
import { createAgsWorker, createServiceClients } from '../../../src/grades';
import { createServices, resolveSessionSecret, type Services } from '../../../src/services';
import { createApp } from '../../../src/web/app';
import { createLtiContext, type LtiContext } from '../../../src/web/lti';
import type { TestDb } from '../../support/databases';
import { CookieJar, parseForm, type SimulatedPlatform } from '../../support/platform';

let bank: ContentBank | undefined;
/** The real content bank, loaded once per test file (it takes a few seconds). */
export function contentBank(): ContentBank {
  bank ??= loadContent();
  return bank;
}

export interface TeacherTool {
  url: string;
  services: Services;
  lti: LtiContext;
  clock: { now(): number };
  /** An AGS worker of this tool (delivers with the tool's own keys). */
  worker(id?: string): ReturnType<typeof createAgsWorker>;
  register(sim: SimulatedPlatform): Promise<PlatformRecord>;
  close(): Promise<void>;
}

/** The whole application with content, over real HTTP on localhost (the simulator is on 127.0.0.1). */
export async function startTeacherTool(
  db: TestDb,
  clock: { now(): number } = { now: () => Date.now() },
): Promise<TeacherTool> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ PUBLIC_URL: url, LOG_LEVEL: 'silent' });
  const logger = pino({ level: 'silent' });
  const services = createServices(db, clock, { content: contentBank() });
  const lti = createLtiContext({ config, db, logger, clock });
  const sessionSecret = await resolveSessionSecret(services, config.sessionSecret);
  const app = createApp({ config, db, logger, clock, services, sessionSecret, lti });
  server.on('request', app);
  const clients = createServiceClients({ signer: lti.keySet, clock, timeoutMs: 3_000 });
  return {
    url,
    services,
    lti,
    clock,
    worker: (id = 'test-worker') => createAgsWorker({ db, clock, clients, id, random: () => 0.5 }),
    async register(sim) {
      sim.setTool({ redirectUris: [`${url}/lti/launch`], jwksUrl: `${url}/.well-known/jwks.json` });
      return createPlatformRepository(db, clock).add({
        ...sim.registration(),
        name: 'Simulated Moodle',
        status: 'active',
        source: 'manual',
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A same-origin GET or form POST with a browser's cookie jar, following no redirect. */
export async function browse(
  jar: CookieJar,
  url: string,
  form?: Record<string, string | string[]>,
): Promise<{ status: number; body: string; location: string | null; headers: Headers }> {
  const headers = new Headers();
  const cookie = jar.header(url);
  if (cookie) headers.set('Cookie', cookie);
  let body: string | undefined;
  if (form) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
    body = p.toString();
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
  }
  const res = await fetch(url, { method: form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
  jar.store(url, res);
  return {
    status: res.status,
    body: await res.text(),
    location: res.headers.get('location'),
    headers: res.headers,
  };
}

/** The launch-session token a landing page carries (`?ls=`). */
export function lsOf(url: string): string {
  const ls = new URL(url).searchParams.get('ls');
  if (!ls) throw new Error(`no ls in ${url}`);
  return ls;
}

/** POSTs the auto-submitting deep-linking form of a page to the platform, as the browser would. */
export async function postDeepLinkingForm(page: string): Promise<{ status: number; body: string }> {
  const form = parseForm(page);
  if (!form?.fields.JWT) throw new Error('no deep-linking form on the page');
  // Handlebars escapes = as &#x3D; in attributes: decode every entity form a browser would.
  const raw = /<form\b[^>]*\saction="([^"]*)"/i.exec(page)?.[1] ?? form.action;
  const action = raw
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&amp;/g, '&');
  const res = await fetch(action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ JWT: form.fields.JWT }).toString(),
  });
  return { status: res.status, body: await res.text() };
}
