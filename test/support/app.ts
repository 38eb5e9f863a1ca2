import type { Express } from 'express';
import pino from 'pino';
import type { Clock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
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
  opts: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApp> {
  const config = loadConfig({ PUBLIC_URL: 'http://localhost:3999', LOG_LEVEL: 'silent', ...opts.env });
  const clock = opts.clock ?? { now: () => Date.now() };
  const services = createServices(db, clock);
  const sessionSecret = await resolveSessionSecret(services, config.sessionSecret);
  const app = createApp({ config, db, logger: pino({ level: 'silent' }), clock, services, sessionSecret });
  return { app, services, config, clock };
}
