import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { register, type RegistrationResult } from '../../../lti';
import { DuplicatePlatformError } from '../../db/repositories/platforms';
import { localeFromAcceptLanguage, translator } from '../../i18n';
import type { LtiContext } from './context';
import { LtiPageError, renderLtiError } from './errors';
import { allowAnyFramer } from './headers';

const registerQuerySchema = z.object({
  openid_configuration: z.string().max(2000).optional(),
  registration_token: z.string().max(4000).optional(),
  /** Ours: a one-time token an administrator issued, so the platform is active at once. */
  token: z.string().max(200).optional(),
});

const TOOL_NAME = 'Pix LTI';

/**
 * GET /lti/register: Dynamic Registration, opened by the LMS administrator inside the LMS. The library
 * talks to the platform; we store the result, pending unless a valid one-time admin token came with
 * the URL, and answer a closing page that says what is left to do on each side.
 */
export function registerHandler(ctx: LtiContext): RequestHandler {
  return async (req: Request, res: Response) => {
    const locale = localeFromAcceptLanguage(req.headers['accept-language'], ctx.config.defaultLocale);
    const t = translator(locale);
    res.setHeader('Cache-Control', 'no-store');
    // The LMS opens this page in its frame before it is a platform of ours (headers.ts).
    allowAnyFramer(res);
    try {
      const q = registerQuerySchema.parse(
        Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
      );
      const result: RegistrationResult = await register({
        openidConfigurationUrl: q.openid_configuration,
        registrationToken: q.registration_token ?? null,
        tool: {
          clientName: TOOL_NAME,
          initiateLoginUri: ctx.urls.login,
          redirectUris: [ctx.urls.launch],
          targetLinkUri: ctx.urls.launch,
          jwksUri: ctx.urls.jwks,
          logoUri: ctx.urls.logo,
          description: t('app.footer'),
        },
        fetch: ctx.fetch,
        allowInsecure: !ctx.config.publicUrl.startsWith('https://'),
      });
      const name = `${new URL(result.issuer).host}${result.productFamilyCode ? ` (${result.productFamilyCode})` : ''}`;
      let platform;
      try {
        platform = await ctx.platforms.add({
          issuer: result.issuer,
          clientId: result.clientId,
          name,
          authEndpoint: result.authEndpoint,
          tokenEndpoint: result.tokenEndpoint,
          authorizationServer: result.authorizationServer,
          jwksUri: result.jwksUri,
          status: 'pending',
          source: 'dynamic',
          registration: result.response,
          deploymentIds: result.deploymentIds,
        });
      } catch (err) {
        if (err instanceof DuplicatePlatformError)
          throw new LtiPageError('registration_duplicate', 409, 'admin');
        throw err;
      }
      // The admin's one-time token is spent only once the platform is registered and stored, so a
      // refused or duplicate attempt does not burn it; it then activates the platform at once.
      const adminApproved = q.token ? await ctx.registrationTokens.consume(q.token) : false;
      if (adminApproved) {
        await ctx.platforms.setStatus(platform.id, 'active');
        platform = { ...platform, status: 'active' as const };
      }
      ctx.logger.info(
        {
          platformId: platform.id,
          issuer: platform.issuer,
          clientId: platform.clientId,
          status: platform.status,
        },
        'LTI platform registered dynamically',
      );
      res.render('lti/registered', {
        locale,
        title: t('lti.register.title'),
        scripts: ['lti-register-close.js'],
        tool: TOOL_NAME,
        platform: platform.issuer,
        moodle: (result.productFamilyCode ?? '').toLowerCase() === 'moodle',
        pending: platform.status === 'pending',
        tokenRefused: Boolean(q.token) && !adminApproved,
      });
    } catch (err) {
      if (err instanceof z.ZodError) {
        renderLtiError(req, res, new LtiPageError('registration_url_invalid', 400, 'admin'), {
          logger: ctx.logger,
          locale,
          step: 'registration',
        });
        return;
      }
      renderLtiError(req, res, err, { logger: ctx.logger, locale, step: 'registration' });
    }
  };
}
