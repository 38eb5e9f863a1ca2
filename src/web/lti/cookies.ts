import type { CookieOptions, Request } from 'express';

// Never a name starting with "Moodle": the tool and Moodle share cookies on one host.
const STATE_PREFIX = 'ltitool_state_';
export const SESSION_COOKIE = 'ltitool_ls';

/**
 * Cookies that survive inside a cross-site iframe where the browser allows it: partitioned (CHIPS),
 * Secure (Chromium treats http://localhost as secure, so tests work over http), SameSite=None so the
 * platform's cross-site form POST carries them back.
 */
export function iframeCookie(maxAgeMs: number): CookieOptions {
  return { httpOnly: true, secure: true, sameSite: 'none', partitioned: true, path: '/', maxAge: maxAgeMs };
}

/** One cookie per login, so two activities launched at once on one page do not overwrite each other. */
export function stateCookieName(state: string): string {
  return STATE_PREFIX + state.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);
}

/**
 * One cookie's value: from cookie-parser's result when it ran, else straight from the header (login
 * and launch skip cookie-parser: they need one cookie, not the whole jar parsed). First one wins.
 */
export function readCookie(req: Request, name: string): string | undefined {
  const cookies = (req as Request & { cookies?: Record<string, unknown> }).cookies;
  const v = cookies ? cookies[name] : fromHeader(req.headers.cookie, name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function fromHeader(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}
