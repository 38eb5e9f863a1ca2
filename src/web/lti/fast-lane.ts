import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express } from 'express';
import type { Logger } from '../../logger';
import { requestLogger } from '../../logger';
import { allowExpressUpgrade, asExpress } from '../express-upgrade';
import type { FormReader } from './form';

type Handler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => Promise<void>;

export interface FastLaneDeps {
  logger: Logger;
  /** The headers every response gets (CSP, Referrer-Policy, nosniff): the app's, see headers.ts. */
  securityHeaders: { setOn(res: ServerResponse): void | Promise<void> };
  form: FormReader;
  login: Handler;
  launch: Handler;
  /** The app's error handler, for what the handlers do not answer themselves (a database failure). */
  errorHandler: ErrorRequestHandler;
}

/**
 * Serves LTI login and launch without express's routing. Each request that express routes first has
 * its request and response re-prototyped and walks the app's middleware and routers (about 0.1 ms of
 * CPU per request here, a fifth of a launch's handler time); these two requests are every launch, and
 * their usual answer is a redirect with a cookie. So they get what the app gives every request
 * (request id and log line, security headers) and go straight to the same handlers the LTI router
 * mounts. A handler that must render a page (an error, a browser step) upgrades the request to
 * express's then (express-upgrade.ts). Anything else, including other methods and paths, is express's.
 */
export function installLtiFastLane(app: Express, deps: FastLaneDeps): void {
  const logRequest = requestLogger(deps.logger);
  const expressHandle = (app as unknown as { handle: ExpressHandle }).handle;

  const serve = async (handler: Handler, req: IncomingMessage, res: ServerResponse) => {
    // Errors go to the app's error handler once (its page); if that fails too (a page that cannot
    // render), a plain 500, or a cut connection when headers already left: never a hung request.
    let handled = false;
    const fail = (err?: unknown) => {
      if (handled) return lastResort(res);
      handled = true;
      const page = asExpress(req, res);
      try {
        deps.errorHandler(err, page.req, page.res, fail);
      } catch (again) {
        fail(again);
      }
    };
    allowExpressUpgrade(app, req, res, fail);
    logRequest(req, res, noop);
    try {
      const headers = deps.securityHeaders.setOn(res);
      if (headers) await headers;
      if (req.method === 'POST') {
        await new Promise<void>((resolve, reject) =>
          deps.form(req, res, (err) => (err ? reject(err) : resolve())),
        );
      }
      await handler(req, res);
    } catch (err) {
      fail(err);
    }
  };

  (app as unknown as { handle: ExpressHandle }).handle = function handle(req, res, callback) {
    const { method, url = '' } = req;
    if (method === 'POST' && url === '/lti/launch') {
      return void serve(deps.launch, req, res).catch(() => lastResort(res));
    }
    if ((method === 'GET' || method === 'POST') && (url === '/lti/login' || url.startsWith('/lti/login?'))) {
      return void serve(deps.login, req, res).catch(() => lastResort(res));
    }
    return expressHandle.call(this, req, res, callback);
  };
}

type ExpressHandle = (
  this: Express,
  req: IncomingMessage,
  res: ServerResponse,
  callback?: (err?: unknown) => void,
) => void;

const noop = () => undefined;

function lastResort(res: ServerResponse): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('Internal error');
}
