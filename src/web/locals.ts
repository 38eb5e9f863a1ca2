import type { NextFunction, Request, Response } from 'express';
import { localeFromAcceptLanguage, translator, type Locale, type Translate } from '../i18n';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      locale: Locale;
      t: Translate;
      base: string;
    }
  }
}

/** Sets the page language (views read `locale`; code calls res.locals.t). */
export function setLocale(res: Response, locale: Locale): void {
  res.locals.locale = locale;
  res.locals.t = translator(locale);
}

/** For pages outside a launch (admin, public pages): the browser's language, `?lang=` to switch. */
export function browserLocale(fallback: Locale) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const forced = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    setLocale(
      res,
      forced === 'fr' || forced === 'en'
        ? forced
        : localeFromAcceptLanguage(req.headers['accept-language'], fallback),
    );
    next();
  };
}
