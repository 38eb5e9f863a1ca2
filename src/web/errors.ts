import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Locale } from '../i18n';
import { localeFromAcceptLanguage } from '../i18n';
import type { Logger } from '../logger';
import { setLocale } from './locals';

/** A failure the user can act on: rendered as a page with its status and code, never as a 500. */
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

function ensureLocale(
  req: Parameters<RequestHandler>[0],
  res: Parameters<RequestHandler>[1],
  fallback: Locale,
) {
  if (!res.locals.t) setLocale(res, localeFromAcceptLanguage(req.headers['accept-language'], fallback));
  res.locals.base ??= '';
}

export function notFound(fallback: Locale): RequestHandler {
  return (req, res) => {
    ensureLocale(req, res, fallback);
    res.status(404);
    if (req.accepts(['html', 'json']) === 'json') return res.json({ error: 'not_found' });
    res.render('error', {
      title: res.locals.t('error.notfound.title'),
      heading: res.locals.t('error.notfound.title'),
      message: res.locals.t('error.notfound.body'),
      code: 'not_found',
    });
  };
}

export function errorHandler(logger: Logger, fallback: Locale): ErrorRequestHandler {
  return (err, req, res, _next) => {
    ensureLocale(req, res, fallback);
    const requestId = String(req.id ?? '');
    // Body-parser errors (bad JSON, too large) carry a 4xx status of their own.
    const status =
      err instanceof HttpError
        ? err.status
        : typeof err?.status === 'number' && err.status < 500
          ? err.status
          : 500;
    if (status >= 500) logger.error({ err, requestId }, 'unhandled error');
    else logger.warn({ code: err?.code, status, requestId, msg: err?.message }, 'request refused');
    if (res.headersSent) return;
    res.status(status);
    const code = err instanceof HttpError ? err.code : status >= 500 ? 'internal_error' : 'bad_request';
    if (req.accepts(['html', 'json']) === 'json')
      return res.json({ error: code, message: status < 500 ? err.message : undefined });
    res.render('error', {
      title: res.locals.t('error.generic.title'),
      heading: res.locals.t('error.generic.title'),
      message: status < 500 && err instanceof HttpError ? err.message : res.locals.t('error.generic.body'),
      code,
      requestId,
    });
  };
}
