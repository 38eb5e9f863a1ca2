import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs; tokens, answers and solutions are never logged (see the redact list). Standard
 * output unless a destination is given (benchmarks log to /dev/null at the production level).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'id_token',
        'client_assertion',
        'access_token',
        'password',
        '*.password',
        '*.id_token',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

declare module 'http' {
  interface IncomingMessage {
    /** This request's id (X-Request-Id), set by requestLogger; error pages show it. */
    id?: string;
  }
}

const REQUEST_ID = /^[\w-]{1,64}$/;
const extraFields = new WeakMap<ServerResponse, Record<string, unknown>>();

/**
 * Adds fields to this request's line (requestLogger): an event of the request, such as an accepted
 * launch, costs no line (and no write) of its own. The request's own fields win over these.
 */
export function logWithRequest(res: ServerResponse, fields: Record<string, unknown>): void {
  extraFields.set(res, { ...extraFields.get(res), ...fields });
}

/**
 * One log line per request, at its end: id, method, path (never the query string: it can carry a
 * launch-session token), status and duration. Written for the per-request cost: no child logger and
 * no serialiser per request (pino-http builds both, and by default copies every response header,
 * Set-Cookie included, into the line). The request id comes from a well-formed X-Request-Id or is
 * generated, and is echoed in the response.
 */
export function requestLogger(logger: Logger, newId: () => string = () => crypto.randomUUID()) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const started = performance.now();
    // Taken now: mounted routers rewrite req.url while they run.
    const path = (req.url ?? '').split('?')[0];
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newId();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const done = (event: 'finish' | 'close') => () => {
      res.removeListener('finish', onFinish);
      res.removeListener('close', onClose);
      const status = res.statusCode;
      const line = {
        ...extraFields.get(res),
        reqId: id,
        method: req.method,
        url: path,
        status,
        responseTime: Math.round(performance.now() - started),
      };
      if (event === 'close') logger.warn(line, 'request aborted');
      else if (status >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request completed');
    };
    const onFinish = done('finish');
    const onClose = done('close');
    res.once('finish', onFinish);
    res.once('close', onClose);
    next();
  };
}
