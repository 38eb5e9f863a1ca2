import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';

function contentSecurityPolicy(frameAncestors: string): string {
  return (
    `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; ` +
    `form-action *; base-uri 'none'; object-src 'none'; frame-ancestors ${frameAncestors}`
  );
}

/**
 * For the pages an LMS shows in its frame before we can know it as an active platform: the Dynamic
 * Registration page (Moodle opens it in a frame while no platform is registered yet) and the LTI
 * refusal pages (a pending or unknown platform's login, a refused launch). They offer no action that
 * framing could hijack (no form, nothing changed by a click but a close message to the parent), so any
 * site may frame them; every other page keeps the active platforms' list.
 */
export function allowAnyFramer(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy('*'));
}

/**
 * For pages no one may frame (administration): a CSP frame-ancestors wins over X-Frame-Options in
 * browsers, so the app-wide list of platforms would otherwise let them frame these pages.
 */
export function denyFraming(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy("'none'"));
  res.setHeader('X-Frame-Options', 'DENY');
}

/**
 * Content-Security-Policy for every page: our own scripts and styles only, and framing allowed for
 * the active platforms' web origins (their auth endpoints' origins: an issuer is not always one).
 * The list is cached a few seconds so a page view costs no query, and an activation shows up quickly.
 * With it, the other headers every response carries: Referrer-Policy (launch URLs hold tokens) and
 * X-Content-Type-Options.
 */
export function securityHeaders(opts: {
  frameAncestors: () => Promise<string[]>;
  clock: Clock;
  logger: Logger;
  cacheMs?: number;
}): RequestHandler & { setOn(res: ServerResponse): void | Promise<void> } {
  const cacheMs = opts.cacheMs ?? 5_000;
  let cached: { value: string; until: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function ancestors(): Promise<string> {
    const now = opts.clock.now();
    if (cached && cached.until > now) return cached.value;
    inflight ??= opts
      .frameAncestors()
      .then((origins) => {
        const value = origins.length ? `'self' ${origins.join(' ')}` : `'self'`;
        cached = { value, until: opts.clock.now() + cacheMs };
        return value;
      })
      .catch((err: unknown) => {
        opts.logger.warn({ err }, 'frame-ancestors lookup failed; framing limited to self');
        return cached?.value ?? `'self'`;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  const write = (res: ServerResponse, frame: string) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(frame));
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
  };
  /** The headers on a plain response: synchronous while the list is cached (the usual case). */
  const setOn = (res: ServerResponse): void | Promise<void> => {
    if (cached && cached.until > opts.clock.now()) return write(res, cached.value);
    return ancestors().then((frame) => write(res, frame));
  };
  const middleware: RequestHandler = async (_req, res, next) => {
    await setOn(res);
    next();
  };
  return Object.assign(middleware, { setOn });
}
