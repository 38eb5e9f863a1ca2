import type { IncomingMessage, ServerResponse } from 'node:http';

// Never a name starting with "Moodle": the tool and Moodle share cookies on one host.
const STATE_PREFIX = 'ltitool_state_';
export const SESSION_COOKIE = 'ltitool_ls';

/**
 * Sets a cookie that survives inside a cross-site iframe where the browser allows it: partitioned
 * (CHIPS), Secure (Chromium treats http://localhost as secure, so tests work over http), SameSite=None
 * so the platform's cross-site form POST carries it back. Written on a plain Node response (login and
 * launch answer without express, see fast-lane.ts); our names and values are URL-safe, encoded anyway.
 */
export function setIframeCookie(res: ServerResponse, name: string, value: string, maxAgeMs: number): void {
  const expires = new Date(Date.now() + maxAgeMs).toUTCString();
  appendSetCookie(
    res,
    `${name}=${encodeURIComponent(value)}; Max-Age=${Math.floor(maxAgeMs / 1000)}; Path=/; ` +
      `Expires=${expires}; HttpOnly; Secure; Partitioned; SameSite=None`,
  );
}

/** Removes an iframe cookie: the same attributes (a partitioned cookie is only replaced by one), expired. */
export function clearIframeCookie(res: ServerResponse, name: string): void {
  appendSetCookie(
    res,
    `${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; Partitioned; SameSite=None`,
  );
}

function appendSetCookie(res: ServerResponse, cookie: string): void {
  const prev = res.getHeader('Set-Cookie');
  res.setHeader(
    'Set-Cookie',
    prev === undefined ? cookie : Array.isArray(prev) ? [...prev, cookie] : [String(prev), cookie],
  );
}

/** One cookie per login, so two activities launched at once on one page do not overwrite each other. */
export function stateCookieName(state: string): string {
  return STATE_PREFIX + state.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);
}

/**
 * One cookie's value: from cookie-parser's result when it ran, else straight from the header (login
 * and launch skip cookie-parser: they need one cookie, not the whole jar parsed). First one wins.
 */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const cookies = (req as IncomingMessage & { cookies?: Record<string, unknown> }).cookies;
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
