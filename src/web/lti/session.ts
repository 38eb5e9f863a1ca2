import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RoleView } from '../../../lti';
import type { LaunchSessionRecord, LaunchSessionRepository } from '../../db/repositories/launch-sessions';
import { localeFromAcceptLanguage, translator, type Locale } from '../../i18n';
import { readCookie, SESSION_COOKIE } from './cookies';
import { storedLaunchSchema, type StoredLaunch } from './stored-launch';

/** What requireLaunch puts in res.locals for the pages after a launch. */
export interface LaunchLocals {
  session: LaunchSessionRecord;
  launch: StoredLaunch;
  /** The raw token: pages append `?ls=` to their links and forms with it (see `lsQuery`). */
  token: string;
  /** `ls=<token>`, URL-encoded, ready to append to a link. */
  lsQuery: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      lti?: LaunchLocals;
    }
  }
}

/** Set on app.locals when the LTI router is mounted, so requireLaunch needs no import of the context. */
export interface LaunchSessionProvider {
  sessions: LaunchSessionRepository;
  defaultLocale: Locale;
}
export const LAUNCH_SESSIONS_KEY = 'ltiLaunchSessions';

/** The launch-session token: `?ls=` (links), form field `ls`, header X-Launch-Session, then the cookie. */
export function launchToken(req: Request): string | undefined {
  const q = req.query?.ls;
  if (typeof q === 'string' && q) return q;
  const b = (req.body as Record<string, unknown> | undefined)?.ls;
  if (typeof b === 'string' && b) return b;
  const h = req.headers['x-launch-session'];
  if (typeof h === 'string' && h) return h;
  return readCookie(req, SESSION_COOKIE);
}

/**
 * Middleware for every page after a launch: loads the launch session (401 page when missing or
 * expired), optionally restricts it to role views (403), and sets the page language from the launch.
 * Usage: `router.get('/teacher', requireLaunch(['staff']), handler)`.
 */
export function requireLaunch(views?: readonly RoleView[]): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const provider = req.app.locals[LAUNCH_SESSIONS_KEY] as LaunchSessionProvider | undefined;
    if (!provider) {
      next(new Error('requireLaunch used on an app without the LTI router mounted'));
      return;
    }
    const fallback = localeFromAcceptLanguage(req.headers['accept-language'], provider.defaultLocale);
    const token = launchToken(req);
    const session = token ? await provider.sessions.find(token) : undefined;
    const parsed = session ? storedLaunchSchema.safeParse(session.launch) : undefined;
    if (!session || !token || !parsed?.success) {
      refuse(res, 401, 'session_expired', fallback, 'lti.session.expired');
      return;
    }
    const locale: Locale = session.locale === 'en' ? 'en' : 'fr';
    if (views && !views.includes(parsed.data.view)) {
      refuse(res, 403, 'role_forbidden', locale, 'lti.session.forbidden');
      return;
    }
    res.locals.lti = { session, launch: parsed.data, token, lsQuery: `ls=${encodeURIComponent(token)}` };
    res.locals.locale = locale;
    res.locals.t = translator(locale);
    next();
  };
}

function refuse(res: Response, status: number, code: string, locale: Locale, key: string): void {
  const t = translator(locale);
  res.locals.base ??= '';
  res.status(status).render('error', {
    locale,
    title: t(`${key}.title`),
    heading: t(`${key}.title`),
    message: t(`${key}.body`),
    code,
  });
}
