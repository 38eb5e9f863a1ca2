import crypto from 'node:crypto';
import express, { type Express } from 'express';
import pinoHttp from 'pino-http';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { ping, type Db } from '../db';
import type { Logger } from '../logger';

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
}

/** Builds the express application; no listening, no global state (tests build as many as they like). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // Query strings can carry launch-session tokens: never log them.
          url: req.url.split('?')[0],
        }),
      },
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

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
  return app;
}
