import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { decodeJwt } from 'jose';
import { LtiError, pickLocale } from '../../../lti';
import { localeFromAcceptLanguage, translator, type Locale } from '../../i18n';
import type { Logger } from '../../logger';
import { allowAnyFramer } from './headers';

/** A refusal of our own (not a protocol check): same page, same logging as the library's errors. */
export class LtiPageError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly audience: 'user' | 'admin',
    readonly params: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'LtiPageError';
  }
}

/**
 * The page's language before a launch is verified: the id_token's locale claim if one is there (read
 * without trust, only to pick a language), else the browser's.
 */
export function pageLocale(req: IncomingMessage, fallback: Locale, idToken?: unknown): Locale {
  if (typeof idToken === 'string') {
    try {
      const p = decodeJwt(idToken);
      const lp = p['https://purl.imsglobal.org/spec/lti/claim/launch_presentation'] as
        { locale?: unknown } | undefined;
      const tag =
        typeof lp?.locale === 'string' ? lp.locale : typeof p.locale === 'string' ? p.locale : undefined;
      if (tag) return pickLocale([tag], fallback);
    } catch {
      /* not a JWT: the verification reports it */
    }
  }
  return localeFromAcceptLanguage(req.headers['accept-language'], fallback);
}

/**
 * Every LTI failure ends here: one log line with its code (never a token), an HTML page in the user's
 * language saying who can fix it, and the code's 4xx status. Anything else is a bug: rethrown.
 */
export function renderLtiError(
  req: Request,
  res: Response,
  err: unknown,
  ctx: { logger: Logger; locale: Locale; step: string },
): void {
  let code: string;
  let status: number;
  let audience: 'user' | 'admin';
  let params: Record<string, string> = {};
  if (err instanceof LtiError) {
    ({ code, status, audience } = err);
    for (const [k, v] of Object.entries(err.details)) if (typeof v === 'string') params[k] = v;
  } else if (err instanceof LtiPageError) {
    ({ code, status, audience, params } = err);
  } else {
    throw err;
  }
  const requestId = String((req as Request & { id?: unknown }).id ?? '');
  ctx.logger.warn(
    { code, status, step: ctx.step, requestId, ...safeDetails(params) },
    `LTI ${ctx.step} refused: ${code}`,
  );
  const t = translator(ctx.locale);
  res.locals.locale = ctx.locale;
  res.locals.base ??= '';
  // Shown in the LMS frame, whether or not that LMS is an active platform of ours (headers.ts).
  allowAnyFramer(res);
  const specific = t(`lti.error.${code}`, params);
  res.status(status).render('error', {
    locale: ctx.locale,
    title: t(`lti.error.${audience}.title`),
    heading: t(`lti.error.${audience}.title`),
    message: specific === `lti.error.${code}` ? err.message : specific,
    advice: t(`lti.error.${audience}.advice`),
    code,
    requestId,
  });
}

// Issuers, client ids and deployment ids help an admin; nothing here is a secret or personal data.
function safeDetails(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['issuer', 'clientId', 'deploymentId', 'messageType', 'alg', 'type']) {
    if (params[k] !== undefined) out[k] = params[k].slice(0, 200);
  }
  return out;
}
