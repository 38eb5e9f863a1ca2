import express, { type Express } from 'express';
import { frameAncestorOrigins } from '../../lti';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { ping, type Db } from '../db';
import { requestLogger, type Logger } from '../logger';
import type { Services } from '../services';
import { PUBLIC_DIR } from '../paths';
import { adminRouter } from './admin/router';
import { errorHandler, notFound } from './errors';
import { createLearnerRouter } from './learner/router';
import { learnerLaunchRoute } from './learner/launch-route';
import {
  createLtiContext,
  createLtiRouter,
  defaultLaunchRouter,
  installLtiFastLane,
  launchHandler,
  loginHandler,
  ltiForm,
  securityHeaders,
  type LaunchRouter,
  type LtiContext,
} from './lti';
import { createTeacherRouter, teacherLaunchRoute } from './teacher';
import { createDashboardRepository } from '../db/repositories/dashboard';
import { createPlacementRepository } from '../db/repositories/placements';
import { createMembershipRepository } from '../db/repositories/memberships';
import { createServiceClients } from '../grades/clients';
import { setupViews } from './views';

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
  services: Services;
  /** Signs admin session cookies; see resolveSessionSecret. */
  sessionSecret: string;
  /** The LTI stores and key sets; built from the rest when absent (main.ts passes its own). */
  lti?: LtiContext;
}

/** Builds the express application; no listening, no global state (tests build as many as they like). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  // One line per request, without pino-http's per-request child logger and serialisers.
  app.use(requestLogger(deps.logger));

  const lti = deps.lti ?? createLtiContext(deps);
  const security = securityHeaders({
    frameAncestors: async () => frameAncestorOrigins(await lti.platforms.activeWebAddresses()),
    clock: deps.clock,
    logger: deps.logger,
  });
  app.use(security);

  setupViews(app);
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await ping(deps.db);
      res.json({ status: 'ready', database: deps.db.dialect });
    } catch (err) {
      deps.logger.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', database: deps.db.dialect });
    }
  });
  app.use(
    '/admin',
    adminRouter({
      ...deps.services,
      publicUrl: deps.config.publicUrl,
      sessionSecret: deps.sessionSecret,
      sessionTtlMs: 2 * 3_600_000,
      registrationTokenTtlMs: 48 * 3_600_000,
      defaultLocale: deps.config.defaultLocale,
      now: () => deps.clock.now(),
    }),
  );

  const learning = deps.services.learning;
  // Staff and mentors land on the teacher pages (catalogue, dashboard) once there is content.
  const { catalogue, content } = deps.services;
  const afterLearner: LaunchRouter = catalogue
    ? (launch, token) => teacherLaunchRoute(launch, token) ?? defaultLaunchRouter(launch, token)
    : defaultLaunchRouter;
  const route = learning ? learnerLaunchRoute(learning, afterLearner) : defaultLaunchRouter;
  app.use(createLtiRouter(lti, { route }));
  if (learning) {
    app.use(
      createLearnerRouter({
        learning,
        publicUrl: deps.config.publicUrl,
        defaultLocale: deps.config.defaultLocale,
      }),
    );
  }

  if (catalogue && content) {
    const clients = createServiceClients({ signer: lti.keySet, clock: deps.clock, fetch: lti.fetch });
    app.use(
      '/teacher',
      createTeacherRouter({
        publicUrl: deps.config.publicUrl,
        signer: lti.keySet,
        clock: deps.clock,
        logger: deps.logger,
        bank: content,
        catalogue,
        placements: createPlacementRepository(deps.db),
        platforms: lti.platforms,
        grades: deps.services.grades,
        memberships: createMembershipRepository(deps.db),
        dashboard: createDashboardRepository(deps.db),
        nrps: clients.nrps,
      }),
    );
  }

  // Mount routers above this line: what follows answers everything no router took.
  app.use(notFound(deps.config.defaultLocale));
  const onError = errorHandler(deps.logger, deps.config.defaultLocale);
  app.use(onError);

  // Login and launch, every launch's two requests, skip express's routing (see fast-lane.ts).
  installLtiFastLane(app, {
    logger: deps.logger,
    securityHeaders: security,
    form: ltiForm(),
    login: loginHandler(lti),
    launch: launchHandler(lti, route),
    errorHandler: onError,
  });
  return app;
}
