import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import type { Clock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import type { ContentBank } from '../../src/content/bank';
import { loadContent } from '../../src/content/load';
import { PROJECT_ROOT } from '../../src/paths';
import type { AttemptEventSink, LearningRandom } from '../../src/learning';
import { createServices, resolveSessionSecret, type Services } from '../../src/services';
import { createApp } from '../../src/web/app';
import type { TestDb } from './databases';

export interface TestApp {
  app: Express;
  services: Services;
  config: Config;
  clock: Clock;
}

/** The real application over a test database, configured as in production except for the URL. */
export async function buildTestApp(
  db: TestDb,
  opts: {
    env?: Record<string, string>;
    clock?: Clock;
    /** The content bank (see testContent()); without it the learner pages are not mounted. */
    content?: ContentBank;
    attemptEventSinks?: AttemptEventSink[];
    learningRandom?: LearningRandom;
  } = {},
): Promise<TestApp> {
  const config = loadConfig({ PUBLIC_URL: 'http://localhost:3999', LOG_LEVEL: 'silent', ...opts.env });
  const clock = opts.clock ?? { now: () => Date.now() };
  const services = createServices(db, clock, {
    content: opts.content,
    attemptEventSinks: opts.attemptEventSinks,
    learningRandom: opts.learningRandom,
  });
  const sessionSecret = await resolveSessionSecret(services, config.sessionSecret);
  const app = createApp({ config, db, logger: pino({ level: 'silent' }), clock, services, sessionSecret });
  return { app, services, config, clock };
}

let loaded: ContentBank | undefined;
/**
 * The committed content/ (git HEAD), loaded once per test file: writers edit content/ while tests
 * run, and a half-written file must not fail unrelated tests. Falls back to the working tree.
 */
export function testContent(): ContentBank {
  if (loaded) return loaded;
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixlti-content-'));
    execFileSync('sh', ['-c', `git archive HEAD content | tar -x -C "${dir}"`], { cwd: PROJECT_ROOT });
    loaded = loadContent(path.join(dir, 'content'));
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    loaded = loadContent();
  }
  return loaded;
}
