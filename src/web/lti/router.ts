import express, { Router } from 'express';
import cookieParser from 'cookie-parser';
import type { LtiContext } from './context';
import { ltiForm } from './form';
import { launchHandler, type LaunchRouter } from './launch';
import { loginHandler } from './login';
import { activityPage, deepLinkingPage, deepLinkingSubmit } from './pages';
import { registerHandler } from './register';
import { LAUNCH_SESSIONS_KEY, requireLaunch, type LaunchSessionProvider } from './session';

/**
 * The LTI routes: login, launch, Dynamic Registration, the tool's JWKS, and the placeholder landing
 * pages. Mount with `app.use(createLtiRouter(ctx))` at the root (it owns /lti/* and /.well-known/jwks.json).
 */
export function createLtiRouter(ctx: LtiContext, opts: { route?: LaunchRouter } = {}): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const cookies = cookieParser();

  router.use((req, res, next) => {
    // Expose the session store to requireLaunch wherever it is used in this app.
    const provider: LaunchSessionProvider = {
      sessions: ctx.sessions,
      defaultLocale: ctx.config.defaultLocale,
    };
    req.app.locals[LAUNCH_SESSIONS_KEY] ??= provider;
    res.locals.base ??= '';
    next();
  });

  router.get('/.well-known/jwks.json', async (_req, res, next) => {
    try {
      // Normally done at start-up; here too so an app built without main.ts never publishes no key.
      await ctx.keySet.ensureKey(ctx.clock.now());
      const jwks = await ctx.keySet.publicJwks(ctx.clock.now());
      // A few minutes: verifiers see a new `next` key long before it signs (the overlap is days).
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json(jwks);
    } catch (err) {
      next(err);
    }
  });

  // Login reads no cookie and launch reads one (readCookie): both skip cookie-parser, and read
  // their small forms with the lean parser (see form.ts).
  const ltiBody = ltiForm();
  router.get('/lti/login', loginHandler(ctx));
  router.post('/lti/login', ltiBody, loginHandler(ctx));
  router.post('/lti/launch', ltiBody, launchHandler(ctx, opts.route));
  router.get('/lti/register', registerHandler(ctx));

  router.get('/lti/activity', cookies, requireLaunch(), activityPage);
  router.get('/lti/deep-linking', cookies, requireLaunch(['staff']), deepLinkingPage(ctx));
  router.post('/lti/deep-linking', form, cookies, requireLaunch(['staff']), deepLinkingSubmit(ctx));
  return router;
}
