import express, { Router } from 'express';
import cookieParser from 'cookie-parser';
import { requireLaunch } from '../lti';
import { cataloguePage, catalogueSubmit } from './catalogue-routes';
import { dashboardPage, exportCsv, gradesResync, learnerDetailPage, rosterRefresh } from './dashboard-routes';
import type { TeacherDeps } from './deps';

/**
 * The teacher side, mounted at /teacher after the LTI router (whose middleware provides the launch
 * sessions): the deep-linking catalogue, the class dashboard (staff and mentors), learner detail,
 * CSV export, roster refresh and grade resync. Every page needs a launch session; learners get 403.
 */
export function createTeacherRouter(deps: TeacherDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const cookies = cookieParser();
  const staff = requireLaunch(['staff']);
  const watchers = requireLaunch(['staff', 'mentor']);
  const wrap =
    (h: express.RequestHandler): express.RequestHandler =>
    async (req, res, next) => {
      try {
        await h(req, res, next);
      } catch (err) {
        next(err);
      }
    };

  router.get('/catalogue', cookies, staff, wrap(cataloguePage(deps)));
  router.post('/catalogue', form, cookies, staff, wrap(catalogueSubmit(deps)));
  router.get('/dashboard', cookies, watchers, wrap(dashboardPage(deps)));
  router.get('/detail', cookies, watchers, wrap(learnerDetailPage(deps)));
  router.get('/export.csv', cookies, watchers, wrap(exportCsv(deps)));
  router.post('/roster/refresh', form, cookies, staff, wrap(rosterRefresh(deps)));
  router.post('/grades/resync', form, cookies, staff, wrap(gradesResync(deps)));
  return router;
}
