import crypto from 'node:crypto';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { z } from 'zod';
import { DUMMY_HASH, verifyPassword } from '../../admin/passwords';
import {
  deploymentIdInput,
  describeIssues,
  newPlatformInput,
  toNewPlatform,
} from '../../admin/platform-input';
import type { AdminRepository } from '../../db/repositories/admins';
import type { AdminSessionRepository } from '../../db/repositories/admin-sessions';
import { DuplicatePlatformError, type PlatformRepository } from '../../db/repositories/platforms';
import type { RegistrationTokenRepository } from '../../db/repositories/registration-tokens';
import { denyFraming } from '../lti/headers';
import { browserLocale } from '../locals';
import { csrfToken, requireCsrf } from './csrf';
import { DbSessionStore } from './session-store';
import { toolUrls } from './tool-urls';

declare module 'express-session' {
  interface SessionData {
    flash?: string;
  }
}

export interface AdminDeps {
  admins: AdminRepository;
  adminSessions: AdminSessionRepository;
  platforms: PlatformRepository;
  registrationTokens: RegistrationTokenRepository;
  publicUrl: string;
  sessionSecret: string;
  sessionTtlMs: number;
  registrationTokenTtlMs: number;
  defaultLocale: 'fr' | 'en';
  now: () => number;
}

const idParam = z.object({ id: z.uuid() });

/**
 * The tool administrator's pages: sign-in (passport, local strategy), platform registry, LMS
 * configuration. Sessions live in the database (several processes share them) and expire; every form
 * carries a CSRF token.
 */
export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  const secure = deps.publicUrl.startsWith('https://');
  // An instance of our own, not passport's global singleton.
  const auth = new passport.Passport();
  auth.use(
    new LocalStrategy((username, password, done) => {
      deps.admins
        .findByUsername(username)
        .then(async (admin) => {
          // Hash even for unknown users, so response time does not reveal which usernames exist.
          const ok = await verifyPassword(password, admin?.passwordHash ?? DUMMY_HASH);
          done(null, ok && admin ? { id: admin.id, username: admin.username } : false);
        })
        .catch(done);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => {
    deps.admins
      .findById(id)
      .then((a) => done(null, a ? { id: a.id, username: a.username } : false))
      .catch(done);
  });

  router.use(browserLocale(deps.defaultLocale));
  router.use(express.urlencoded({ extended: false, limit: '32kb' }));
  router.use(
    session({
      name: 'pixlti_admin',
      secret: deps.sessionSecret,
      store: new DbSessionStore(deps.adminSessions, deps.sessionTtlMs, deps.now),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: deps.sessionTtlMs, path: '/admin' },
    }),
  );
  router.use(auth.initialize());
  router.use(auth.session());
  router.use((req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    // Clickjacking: no platform may frame an administration page (the app-wide CSP lists them).
    denyFraming(res);
    res.locals.base = '';
    res.locals.csrf = csrfToken(req);
    res.locals.admin = req.user;
    res.locals.flash = req.session.flash;
    delete req.session.flash;
    next();
  });
  router.use(requireCsrf);

  const page = (res: Response, view: string, data: Record<string, unknown> = {}) =>
    res.render(`admin/${view}`, { title: res.locals.t('admin.title'), ...data });
  const requireAdmin = (req: Request, res: Response, next: NextFunction) => {
    if (req.isAuthenticated()) return next();
    res.redirect(303, '/admin/login');
  };

  router.get('/login', async (req, res) => {
    if (req.isAuthenticated()) return res.redirect(303, '/admin');
    page(res, 'login', { noAdmin: (await deps.admins.count()) === 0 });
  });
  router.post('/login', (req, res, next) => {
    auth.authenticate('local', (err: unknown, user: Express.User | false) => {
      if (err) return next(err);
      if (!user) {
        res.status(401);
        return page(res, 'login', { failed: true, username: String(req.body?.username ?? '') });
      }
      req.logIn(user, (e) => {
        if (e) return next(e);
        // Session fixation: passport regenerated the session, so issue a fresh CSRF token too.
        req.session.csrf = crypto.randomBytes(24).toString('base64url');
        res.redirect(303, '/admin');
      });
    })(req, res, next);
  });
  router.post('/logout', requireAdmin, (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy(() => res.redirect(303, '/admin/login'));
    });
  });

  const platformsPage = async (res: Response, error?: string) => {
    const platforms = await deps.platforms.list();
    page(res, 'platforms', {
      platforms: platforms.map((p) => ({ ...p, deployments: p.deploymentIds.join(', ') })),
      error,
    });
  };
  router.get('/', requireAdmin, (_req, res) => platformsPage(res));

  router.get('/platforms/new', requireAdmin, (_req, res) => page(res, 'platform-form', { values: {} }));
  router.post('/platforms', requireAdmin, async (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    const parsed = newPlatformInput.safeParse({ ...body, active: body.active === 'on' });
    if (!parsed.success) {
      res.status(422);
      return page(res, 'platform-form', { values: body, errors: describeIssues(parsed.error) });
    }
    try {
      const p = await deps.platforms.add(toNewPlatform(parsed.data));
      req.session.flash = res.locals.t('admin.platforms.added', { name: p.name });
      res.redirect(303, '/admin');
    } catch (err) {
      if (!(err instanceof DuplicatePlatformError)) throw err;
      res.status(409);
      page(res, 'platform-form', {
        values: body,
        errors: [{ field: 'issuer', message: res.locals.t('admin.platforms.duplicate') }],
      });
    }
  });

  /** The platform of `:id`, or a 404 page already sent. */
  const platformOr404 = async (req: Request, res: Response) => {
    const params = idParam.safeParse(req.params);
    const platform = params.success ? await deps.platforms.findById(params.data.id) : undefined;
    if (platform) return platform;
    res.status(404).render('error', {
      title: res.locals.t('admin.platforms.notFound'),
      heading: res.locals.t('admin.platforms.notFound'),
      message: res.locals.t('admin.platforms.notFound'),
      code: 'platform_not_found',
    });
    return undefined;
  };
  const platformAction = (action: 'activate' | 'disable' | 'remove') =>
    async function (req: Request, res: Response) {
      const platform = await platformOr404(req, res);
      if (!platform) return;
      if (action === 'remove') {
        await deps.platforms.remove(platform.id);
        req.session.flash = res.locals.t('admin.platforms.removed', { name: platform.name });
      } else {
        await deps.platforms.setStatus(platform.id, action === 'activate' ? 'active' : 'disabled');
        req.session.flash = res.locals.t(
          action === 'activate' ? 'admin.platforms.activated' : 'admin.platforms.disabled',
          { name: platform.name },
        );
      }
      res.redirect(303, '/admin');
    };
  // A platform may deploy the tool more than once (Moodle: each site tool or course tool gets a
  // deployment id); a launch from an unknown one is refused, so the administrator adds it here.
  router.post('/platforms/:id/deployments', requireAdmin, async (req, res) => {
    const platform = await platformOr404(req, res);
    if (!platform) return;
    const body = z.object({ deploymentId: deploymentIdInput }).safeParse(req.body);
    if (!body.success) {
      res.status(422);
      return platformsPage(res, res.locals.t('admin.platforms.deploymentInvalid', { name: platform.name }));
    }
    const { deploymentId } = body.data;
    if (!platform.deploymentIds.includes(deploymentId)) {
      await deps.platforms.addDeployment(platform.id, deploymentId);
    }
    req.session.flash = res.locals.t('admin.platforms.deploymentAdded', {
      name: platform.name,
      id: deploymentId,
    });
    res.redirect(303, '/admin');
  });
  router.post('/platforms/:id/activate', requireAdmin, platformAction('activate'));
  router.post('/platforms/:id/disable', requireAdmin, platformAction('disable'));
  router.post('/platforms/:id/remove', requireAdmin, platformAction('remove'));

  const configPage = (res: Response, extra: Record<string, unknown> = {}) =>
    page(res, 'config', {
      urls: toolUrls(deps.publicUrl),
      tokenHours: Math.round(deps.registrationTokenTtlMs / 3_600_000),
      ...extra,
    });
  router.get('/config', requireAdmin, (_req, res) => configPage(res));
  router.post('/registration-tokens', requireAdmin, async (req, res) => {
    // An optional reminder for the admin: bounded rather than refused (a long one used to be a 500).
    const note =
      typeof req.body?.note === 'string' ? req.body.note.trim().slice(0, 200) || undefined : undefined;
    const issued = await deps.registrationTokens.issue({ ttlMs: deps.registrationTokenTtlMs, note });
    configPage(res, { issuedUrl: `${toolUrls(deps.publicUrl).registration}?token=${issued.token}` });
  });

  return router;
}
