import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

declare module 'express-session' {
  interface SessionData {
    csrf?: string;
  }
}

/** Synchronizer-token CSRF protection: one random token per session, required on every POST. */
export function csrfToken(req: Request): string {
  if (!req.session.csrf) req.session.csrf = crypto.randomBytes(24).toString('base64url');
  return req.session.csrf;
}

export function requireCsrf(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST') return next();
  const sent = typeof req.body?._csrf === 'string' ? req.body._csrf : '';
  const expected = req.session.csrf ?? '';
  const ok =
    sent.length > 0 &&
    sent.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  if (ok) return next();
  res.status(403);
  res.render('error', {
    layout: 'main',
    title: res.locals.t('admin.csrf.title'),
    heading: res.locals.t('admin.csrf.title'),
    message: res.locals.t('admin.csrf.body'),
    code: 'csrf_invalid',
  });
}
