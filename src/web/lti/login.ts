import type { Request, RequestHandler, Response } from 'express';
import { initiateLogin } from '../../../lti';
import { localeFromAcceptLanguage } from '../../i18n';
import type { LtiContext } from './context';
import { iframeCookie, stateCookieName } from './cookies';
import { renderLtiError } from './errors';

/**
 * OIDC login initiation (GET or POST). The library validates and builds the redirect; here we keep
 * the state server-side and bind it to this browser: by a partitioned cookie, or, when the platform
 * offers postMessage storage (lti_storage_target), through the platform's frame.
 */
export function loginHandler(ctx: LtiContext): RequestHandler {
  return async (req: Request, res: Response) => {
    // Only pages need a language: the usual answer is a bare redirect.
    const locale = () => localeFromAcceptLanguage(req.headers['accept-language'], ctx.config.defaultLocale);
    const params: unknown = req.method === 'GET' ? req.query : req.body;
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
        res.cookie(
          stateCookieName(login.state),
          login.state,
          iframeCookie(login.expiresAt - login.createdAt),
        );
        // Written by hand: express's redirect negotiates a body and hashes it for an ETag, per login.
        res.statusCode = 302;
        res.setHeader('Location', login.redirectUrl);
        res.end();
        return;
      }
      // No cookie here on purpose: the platform said it keeps the state, and the launch must prove it.
      res.render('lti/storage-login', {
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
      renderLtiError(req, res, err, { logger: ctx.logger, locale: locale(), step: 'login' });
    }
  };
}
