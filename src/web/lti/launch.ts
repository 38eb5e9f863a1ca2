import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import {
  checkState,
  LtiError,
  StateBoundNonceStore,
  verifyLaunch,
  type Launch,
  type LaunchKeySource,
  type NonceStore,
} from '../../../lti';
import type { NewLaunchSession, StateToTake } from '../../db/repositories/launch-sessions';
import type { OidcStateRecord } from '../../db/repositories/oidc-states';
import { logWithRequest } from '../../logger';
import { asExpress } from '../express-upgrade';
import type { LtiContext } from './context';
import { clearIframeCookie, readCookie, SESSION_COOKIE, setIframeCookie, stateCookieName } from './cookies';
import { LtiPageError, pageLocale, renderLtiError } from './errors';
import { toStoredLaunch } from './stored-launch';

const launchBodySchema = z.object({
  id_token: z.string().optional(),
  state: z.string().max(200).optional(),
  /** The state as read back from the platform's postMessage storage by our launch page. */
  lti_storage_proof: z.string().max(200).optional(),
  /** An OIDC error the platform's auth endpoint answered instead of a token. */
  error: z.string().max(100).optional(),
  error_description: z.string().max(500).optional(),
});

/**
 * Where a verified launch goes; other engineers replace it as their pages arrive. May be async (the
 * learner experience finds or creates the placement of the resource link first).
 */
export type LaunchRouter = (launch: Launch, launchToken: string) => string | Promise<string>;

export const defaultLaunchRouter: LaunchRouter = (launch, token) => {
  const ls = encodeURIComponent(token);
  return launch.messageType === 'LtiDeepLinkingRequest'
    ? `/lti/deep-linking?ls=${ls}`
    : `/lti/activity?ls=${ls}`;
};

/**
 * POST /lti/launch. The state's proof is always checked before the token is read: the state cookie,
 * or the value our launch page read back from the platform's storage. The usual launch is then
 * verified with what is in memory and takes its state in the statement that opens its session
 * (verifyThenTakeState); anything else takes the state first, then verifies, each refusal with its own
 * code. With no proof, the browser gets a step that obtains one (postMessage page, or a first-party
 * restart in a new window).
 */
export function launchHandler(ctx: LtiContext, route: LaunchRouter = defaultLaunchRouter) {
  // Plain Node request and response: served by the fast lane, or by express (see fast-lane.ts).
  return async (req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> => {
    const body = launchBodySchema.safeParse(req.body ?? {});
    const data = body.success ? body.data : {};
    // The language only matters for a page (refusal or browser step): not worked out on success.
    const locale = () => pageLocale(req, ctx.config.defaultLocale, data.id_token);
    res.setHeader('Cache-Control', 'no-store');
    try {
      if (!body.success) throw new LtiError('claims_invalid', 'launch form');
      if (data.error) {
        throw new LtiPageError('platform_auth_error', 401, 'admin', { error: data.error.slice(0, 100) });
      }
      if (!data.state) throw new LtiError('state_missing');
      // Our states are base64url: anything else cannot be one (and a NUL would fail in PostgreSQL).
      if (!/^[A-Za-z0-9_-]+$/.test(data.state)) throw new LtiError('state_mismatch');

      // The proof is checked first (no query needed). A storage proof only counts for a login that
      // chose postMessage storage: a cookie-mode state cannot be satisfied by a form field.
      const cookie = readCookie(req, stateCookieName(data.state));
      const proof = cookie ?? data.lti_storage_proof;
      if (proof !== undefined) {
        checkState(data.state, proof);
        // The usual launch: verified, then its state taken and its session opened in one statement.
        const storage = cookie === undefined ? 'postmessage' : 'cookie';
        const opened = await verifyThenTakeState(ctx, data.id_token, { state: data.state, storage });
        if (opened) {
          await accepted(ctx, res, route, opened, cookie !== undefined && stateCookieName(data.state));
          return;
        }
      }
      // Anything else takes the careful path: the state first, then the token against the state's
      // platform, each refusal with its own code (the fast path above changed nothing it refused).
      let taken: OidcStateRecord | undefined;
      if (proof !== undefined) {
        taken = await ctx.states.take(data.state, cookie === undefined ? { storage: 'postmessage' } : {});
      }
      if (!taken) {
        // Nothing taken: find out why, on this slower path only.
        const record = await ctx.states.peek(data.state);
        if (!record) throw new LtiError(cookie ? 'state_expired' : 'state_mismatch');
        await offerBrowserStep(ctx, req, res, record, data, locale());
        return;
      }
      if (cookie) clearIframeCookie(res, stateCookieName(data.state));
      const platform = await ctx.launchPlatforms.findById(taken.platformId);
      if (!platform) throw new LtiError('platform_unknown');
      const launch = await verifyLaunch({
        idToken: data.id_token,
        platform,
        expectedDeploymentId: taken.deploymentId,
        keys: ctx.platformKeys,
        // The nonce must be the one this login issued, which the state just taken carries.
        nonces: new StateBoundNonceStore(
          { platformId: taken.platformId, nonce: taken.nonce, expiresAt: taken.expiresAt },
          (platformId, nonce) => ctx.states.nonceWasUsed(platformId, nonce),
        ),
        clock: ctx.clock,
        defaultLocale: ctx.config.defaultLocale,
      });

      const { token } = await ctx.sessions.create(sessionOf(launch));
      await accepted(ctx, res, route, { launch, token }, false);
    } catch (err) {
      const page = asExpress(req, res);
      renderLtiError(page.req, page.res, err, { logger: ctx.logger, locale: locale(), step: 'launch' });
    }
  };
}

/**
 * The nonce check of the fast path: done by the statement that takes the state, which must carry the
 * id_token's nonce (verifyThenTakeState). Never use it where nothing checks the nonce afterwards.
 */
const NONCE_CHECKED_WHEN_TAKING_STATE: NonceStore = {
  save: async () => undefined,
  consume: async () => 'ok',
};

/**
 * The usual launch in one database round trip, and nothing before it: the id_token is verified with
 * what is already in memory (the platform it names and that platform's key, both cached by earlier
 * logins and launches), then one statement takes the login's state, only if it is unused, unexpired,
 * of that platform, with the token's nonce and a matching deployment, and opens the session.
 * Undefined when anything is off or not cached: nothing was written or fetched, and the careful path
 * (state first, then keys fetched as needed) finds the exact reason. So a request that holds no real
 * state can cause no key fetch and no query here, as before this path existed.
 */
async function verifyThenTakeState(
  ctx: LtiContext,
  idToken: string | undefined,
  take: Omit<StateToTake, 'nonce'>,
): Promise<{ launch: Launch; token: string } | undefined> {
  let launch: Launch;
  try {
    const named = namedPlatform(idToken);
    const platform = named && ctx.launchPlatforms.cached(named.issuer, named.clientId);
    if (!platform) return undefined;
    launch = await verifyLaunch({
      idToken,
      platform,
      keys: cachedKeysOnly(ctx),
      nonces: NONCE_CHECKED_WHEN_TAKING_STATE,
      clock: ctx.clock,
      defaultLocale: ctx.config.defaultLocale,
    });
  } catch {
    return undefined;
  }
  const opened = await ctx.sessions.createTakingState({ ...take, nonce: launch.nonce }, sessionOf(launch));
  return opened && { launch, token: opened.token };
}

/** The platform keys the fast path may use: those already fetched and imported, nothing else. */
const cachedKeysOnly = (ctx: LtiContext): LaunchKeySource => ({
  getKey: async (jwksUri, kid, alg) => {
    const key = ctx.platformKeys.cachedKey(jwksUri, kid, alg);
    if (!key) throw new LtiError('kid_unknown', 'not cached');
    return key;
  },
});

/**
 * The issuer and client id an id_token claims, unverified: only to find which platform's key should
 * verify it. The client id is `aud`, or `azp` when `aud` lists several.
 */
function namedPlatform(idToken: string | undefined): { issuer: string; clientId: string } | undefined {
  if (!idToken) return undefined;
  const p = decodeJwt(idToken);
  const aud = Array.isArray(p.aud) && p.aud.length === 1 ? p.aud[0] : p.aud;
  const clientId = typeof aud === 'string' ? aud : p.azp;
  if (typeof p.iss !== 'string' || typeof clientId !== 'string') return undefined;
  return { issuer: p.iss, clientId };
}

function sessionOf(launch: Launch): NewLaunchSession {
  return {
    platformId: launch.platformId,
    deploymentId: launch.deploymentId,
    userSub: launch.sub,
    contextId: launch.context?.id ?? null,
    resourceLinkId: launch.resourceLink?.id ?? null,
    messageType: launch.messageType,
    roles: launch.roles,
    locale: launch.locale,
    launch: toStoredLaunch(launch),
  };
}

/** The answer to an accepted launch: the session cookie, one log line, a redirect to its page. */
async function accepted(
  ctx: LtiContext,
  res: ServerResponse,
  route: LaunchRouter,
  { launch, token }: { launch: Launch; token: string },
  clearStateCookie: string | false,
): Promise<void> {
  if (clearStateCookie) clearIframeCookie(res, clearStateCookie);
  setIframeCookie(res, SESSION_COOKIE, token, ctx.config.launchSessionTtlMs);
  // On the request's own line: one log write per launch request, not two.
  logWithRequest(res, {
    lti: 'launch accepted',
    platformId: launch.platformId,
    deploymentId: launch.deploymentId,
    messageType: launch.messageType,
    view: launch.view,
  });
  // Written by hand: express's redirect negotiates a body and hashes it for an ETag, per launch.
  res.statusCode = 303;
  res.setHeader('Location', await route(launch, token));
  res.end();
}

/**
 * No proof came with the launch. With postMessage storage: a page that reads the state back from the
 * platform and posts again. Otherwise the cookie was blocked: offer a first-party restart in a new
 * window (a fresh login with the same hints), never a silent failure and never a skipped check.
 */
async function offerBrowserStep(
  ctx: LtiContext,
  req: IncomingMessage,
  nodeRes: ServerResponse,
  record: OidcStateRecord,
  data: z.infer<typeof launchBodySchema>,
  locale: 'fr' | 'en',
): Promise<void> {
  const platform = await ctx.launchPlatforms.findById(record.platformId);
  if (!platform) throw new LtiError('platform_unknown');
  const restart = restartUrl(ctx, platform, record);
  const { res } = asExpress(req, nodeRes);
  ctx.logger.info(
    { platformId: platform.id, storage: record.storage },
    'LTI launch without state proof: browser step',
  );
  if (record.storage === 'postmessage') {
    res.render('lti/storage-launch', {
      locale,
      scripts: ['lti-storage.js'],
      mode: 'launch',
      platformOrigin: new URL(platform.authEndpoint).origin,
      state: data.state,
      idToken: data.id_token ?? '',
      action: `${ctx.urls.launch}`,
      restartUrl: restart,
    });
    return;
  }
  res.status(401).render('lti/new-window', { locale, restartUrl: restart, code: 'state_missing' });
}

function restartUrl(
  ctx: LtiContext,
  platform: { issuer: string; clientId: string },
  record: OidcStateRecord,
): string | null {
  if (!record.loginHint) return null;
  const u = new URL(ctx.urls.login);
  u.searchParams.set('iss', platform.issuer);
  u.searchParams.set('client_id', platform.clientId);
  u.searchParams.set('login_hint', record.loginHint);
  u.searchParams.set('target_link_uri', record.targetLinkUri);
  if (record.messageHint) u.searchParams.set('lti_message_hint', record.messageHint);
  if (record.deploymentId) u.searchParams.set('lti_deployment_id', record.deploymentId);
  return u.toString();
}
