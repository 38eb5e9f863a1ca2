import type { IncomingMessage, ServerResponse } from 'node:http';
import querystring from 'node:querystring';
import { initiateLogin } from '../../../lti';
import { localeFromAcceptLanguage } from '../../i18n';
import type { LtiContext } from './context';
import { asExpress } from '../express-upgrade';
import { setIframeCookie, stateCookieName } from './cookies';
import { renderLtiError } from './errors';

/**
 * OIDC login initiation (GET or POST). The library validates and builds the redirect; here we keep
 * the state server-side and bind it to this browser: by a partitioned cookie, or, when the platform
 * offers postMessage storage (lti_storage_target), through the platform's frame.
 */
export function loginHandler(ctx: LtiContext) {
  // Plain Node request and response: served by the fast lane, or by express (see fast-lane.ts).
  return async (req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> => {
    // Only pages need a language: the usual answer is a bare redirect.
    const locale = () => localeFromAcceptLanguage(req.headers['accept-language'], ctx.config.defaultLocale);
    // The query string as express's default ("simple") parser reads it.
    const url = req.url ?? '';
    const params: unknown =
      req.method === 'GET'
        ? querystring.parse(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '')
        : req.body;
    try {
      // No nonce store: the nonce is saved with the state below, one insert for both.
      const login = await initiateLogin({
        params,
        platforms: ctx.launchPlatforms,
        clock: ctx.clock,
        redirectUri: ctx.urls.launch,
        toolOrigins: [ctx.urls.origin],
        ttlMs: ctx.loginTtlMs,
      });
      const storage = login.storageTarget ? 'postmessage' : 'cookie';
      await ctx.states.save({
        state: login.state,
        platformId: login.platform.id,
        nonce: login.nonce,
        targetLinkUri: login.targetLinkUri,
        deploymentId: login.deploymentId,
        storage,
        loginHint: login.loginHint,
        messageHint: login.messageHint,
        ttlMs: login.expiresAt - login.createdAt,
      });
      res.setHeader('Cache-Control', 'no-store');
      if (storage === 'cookie') {
        setIframeCookie(res, stateCookieName(login.state), login.state, login.expiresAt - login.createdAt);
        // Written by hand: express's redirect negotiates a body and hashes it for an ETag, per login.
        res.statusCode = 302;
        res.setHeader('Location', login.redirectUrl);
        res.end();
        return;
      }
      // No cookie here on purpose: the platform said it keeps the state, and the launch must prove it.
      asExpress(req, res).res.render('lti/storage-login', {
        locale: locale(),
        scripts: ['lti-storage.js'],
        mode: 'login',
        platformOrigin: new URL(login.platform.authEndpoint).origin,
        storageTarget: login.storageTarget,
        state: login.state,
        nonce: login.nonce,
        redirectUrl: login.redirectUrl,
      });
    } catch (err) {
      const page = asExpress(req, res);
      renderLtiError(page.req, page.res, err, { logger: ctx.logger, locale: locale(), step: 'login' });
    }
  };
}
