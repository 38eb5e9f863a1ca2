import { CookieJar } from './cookie-jar';
import type { LaunchOptions, SimulatedPlatform } from './platform';
import type { SimUser } from './users';

export interface LaunchDriverOptions extends LaunchOptions {
  /** Default '/lti/login'. */
  loginPath?: string;
  /** Moodle POSTs (default); others GET. */
  method?: 'GET' | 'POST';
  /** Default `${toolBaseUrl}/lti/launch`. */
  targetLinkUri?: string;
  withClientId?: boolean;
  withDeploymentId?: boolean;
  /** Extra login parameters (e.g. lti_storage_target), or overrides. */
  extraLoginParams?: Record<string, string>;
  /** Reuse a jar across launches (a returning browser). */
  jar?: CookieJar;
  /** Follow the tool's redirects after the launch POST (same origin only). Default true. */
  followRedirects?: boolean;
  /** Tamper with the auth answer before POSTing it to the tool (e.g. drop or change state). */
  tamper?: (form: { action: string; idToken: string; state: string }) => {
    action: string;
    idToken?: string;
    state?: string;
  };
}

export interface LaunchDriverResult {
  /** The tool's final answer (after same-origin redirects). */
  response: Response;
  body: string;
  /** URL of the final answer. */
  url: string;
  jar: CookieJar;
  /** Which step ended the run: 'launch' normally, 'login' or 'auth' when one of them did not redirect. */
  stoppedAt: 'login' | 'auth' | 'launch';
  idToken?: string;
  state?: string;
}

async function request(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('Cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(url, res);
  return res;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m?.[1]
    ?.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');
}

/** Fields and action of the first form in an HTML page. */
export function parseForm(page: string): { action: string; fields: Record<string, string> } | null {
  const form = /<form\b[^>]*>/i.exec(page);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const m of page.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(m[0], 'name');
    if (name) fields[name] = attr(m[0], 'value') ?? '';
  }
  return { action: attr(form[0], 'action') ?? '', fields };
}

export async function runLoginAndLaunch(
  platform: SimulatedPlatform,
  toolBaseUrl: string,
  user: SimUser,
  opts: LaunchDriverOptions,
): Promise<LaunchDriverResult> {
  const jar = opts.jar ?? new CookieJar();
  const base = toolBaseUrl.replace(/\/+$/, '');
  const targetLinkUri = opts.targetLinkUri ?? `${base}/lti/launch`;
  const params = { ...platform.loginParams(user, { ...opts, targetLinkUri }), ...opts.extraLoginParams };
  const loginUrl = new URL(`${base}${opts.loginPath ?? '/lti/login'}`);
  let res: Response;
  if ((opts.method ?? 'POST') === 'GET') {
    for (const [k, v] of Object.entries(params)) loginUrl.searchParams.set(k, v);
    res = await request(jar, loginUrl.toString());
  } else {
    res = await request(jar, loginUrl.toString(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
  }
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location) {
    return { response: res, body: await res.text(), url: loginUrl.toString(), jar, stoppedAt: 'login' };
  }
  const authUrl = new URL(location, loginUrl).toString();
  const auth = await request(jar, authUrl);
  const authBody = await auth.text();
  const form = auth.status === 200 ? parseForm(authBody) : null;
  if (!form || !form.fields.id_token) {
    return { response: auth, body: authBody, url: authUrl, jar, stoppedAt: 'auth' };
  }
  let post = { action: form.action, idToken: form.fields.id_token, state: form.fields.state ?? '' } as {
    action: string;
    idToken?: string;
    state?: string;
  };
  if (opts.tamper)
    post = opts.tamper({ action: form.action, idToken: form.fields.id_token, state: post.state! });
  const fields = new URLSearchParams();
  if (post.idToken !== undefined) fields.set('id_token', post.idToken);
  if (post.state !== undefined) fields.set('state', post.state);
  let url = post.action;
  res = await request(jar, url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: new URL(platform.url).origin },
    body: fields.toString(),
  });
  const toolOrigin = new URL(base).origin;
  for (let hops = 0; opts.followRedirects !== false && hops < 5; hops++) {
    const next = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !next) break;
    const nextUrl = new URL(next, url);
    if (nextUrl.origin !== toolOrigin) break;
    url = nextUrl.toString();
    res = await request(jar, url);
  }
  return {
    response: res,
    body: await res.text(),
    url,
    jar,
    stoppedAt: 'launch',
    idToken: post.idToken,
    state: post.state,
  };
}
