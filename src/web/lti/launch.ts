import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { checkState, LtiError, StateBoundNonceStore, verifyLaunch, type Launch } from '../../../lti';
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
 * POST /lti/launch. The state is always checked before the token is read: against the state cookie,
 * or against the value our launch page read back from the platform's storage. With neither, the
 * browser gets a step that obtains one (postMessage page, or a first-party restart in a new window).
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

      // The usual launch is one write: the proof is checked first (no query needed), then the state
      // is taken, atomically, with the nonce of its login. A storage proof only counts for a login
      // that chose postMessage storage: a cookie-mode state cannot be satisfied by a form field.
      const cookie = readCookie(req, stateCookieName(data.state));
      const proof = cookie ?? data.lti_storage_proof;
      let taken: OidcStateRecord | undefined;
      if (proof !== undefined) {
        checkState(data.state, proof);
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
      });

      const { token } = await ctx.sessions.create({
        platformId: launch.platformId,
        deploymentId: launch.deploymentId,
        userSub: launch.sub,
        contextId: launch.context?.id ?? null,
        resourceLinkId: launch.resourceLink?.id ?? null,
        messageType: launch.messageType,
        roles: launch.roles,
        locale: launch.locale,
        launch: toStoredLaunch(launch),
      });
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
    } catch (err) {
      const page = asExpress(req, res);
      renderLtiError(page.req, page.res, err, { logger: ctx.logger, locale: locale(), step: 'launch' });
    }
  };
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
