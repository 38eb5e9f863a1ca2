import type { Request, RequestHandler, Response } from 'express';
import { SCOPES } from '../../../lti';
import type { CatalogueEntry } from '../../catalogue';
import type { Locale } from '../../content/schema';
import {
  distributionChart,
  loadClassView,
  toCsv,
  visibleSubs,
  type ClassView,
  type LearnerRow,
  type Viewer,
} from '../../dashboard';
import type { PlacementRecord } from '../../db/repositories/placements';
import type { Grading } from '../../db/tables/learning';
import { gradingFromCustom } from '../../grades/grading';
import { translator, type Translate } from '../../i18n';
import { refreshRoster, rosterIsStale } from '../../roster';
import type { LaunchLocals } from '../lti';
import type { TeacherDeps } from './deps';
import { formTokenMatches } from './guards';

/** Learners per page of the dashboard table. */
export const PAGE_SIZE = 100;

interface PageContext {
  lti: LaunchLocals;
  locale: Locale;
  t: Translate;
  placement: PlacementRecord;
  entry: CatalogueEntry | undefined;
  grading: Grading;
  viewer: Viewer;
  dateLabel: (ms: number | null) => string;
}

function refuse(res: Response, status: number, locale: Locale, key: string): void {
  const t = translator(locale);
  res.status(status).render('error', {
    locale,
    title: t(`${key}.title`),
    heading: t(`${key}.title`),
    message: t(`${key}.body`),
  });
}

/**
 * The placement of the launch (platform, deployment and resource link from the session, never from
 * the URL): a teacher only ever reaches the class of the link they launched.
 */
async function pageContext(deps: TeacherDeps, res: Response): Promise<PageContext | undefined> {
  const lti = res.locals.lti as LaunchLocals;
  const locale: Locale = res.locals.locale === 'en' ? 'en' : 'fr';
  const t = translator(locale);
  const resourceLinkId = lti.session.resourceLinkId;
  const placement = resourceLinkId
    ? await deps.placements.findByKey({
        platformId: lti.session.platformId,
        deploymentId: lti.session.deploymentId,
        resourceLinkId,
      })
    : undefined;
  if (!placement) {
    refuse(res, 404, locale, 'teacher.noplacement');
    return undefined;
  }
  const entry =
    placement.activityKind && placement.activityId
      ? deps.catalogue().byValue.get(`${placement.activityKind}:${placement.activityId}`)
      : undefined;
  return {
    lti,
    locale,
    t,
    placement,
    entry,
    // The link's own custom grading (our deep-linking response) is what the gradebook gets.
    grading: gradingFromCustom(lti.launch.custom) ?? placement.grading,
    viewer: { view: lti.launch.view, sub: lti.session.userSub, mentees: lti.launch.roleScopeMentor },
    dateLabel: dateLabeller(locale),
  };
}

function durationLabel(ms: number, t: Translate): string {
  if (ms <= 0) return '—';
  const minutes = Math.round(ms / 60_000);
  return minutes < 1 ? t('teacher.time.lessminute') : t('teacher.time.minutes', { n: minutes });
}

/** One formatter per page: building an Intl.DateTimeFormat costs far more than using it, once a row. */
function dateLabeller(locale: Locale): (ms: number | null) => string {
  const format = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  });
  return (ms) => (ms === null ? '—' : format.format(ms));
}

function scoreLabel(row: LearnerRow, grading: Grading, t: Translate): string {
  if (row.score === null) return '—';
  if (grading === 'pix') return t('teacher.score.pix', { n: row.score, max: row.maxPix ?? '?' });
  if (grading === 'completion') return t('teacher.score.completion');
  return `${row.score} %`;
}

function rowView(row: LearnerRow, view: ClassView, ctx: PageContext) {
  const { t, grading } = ctx;
  return {
    sub: row.sub,
    name: row.name ?? t('teacher.anonymous', { id: row.sub }),
    status: row.status,
    statusLabel: t(`teacher.status.${row.status}`),
    score: scoreLabel(row, grading, t),
    pix: row.pix ?? '—',
    levels: view.competences.map((c) => {
      const level = row.levels[c];
      const known = level !== null && level !== undefined;
      return {
        competence: c,
        level: level ?? null,
        label: known ? String(level) : '—',
        cls: known ? `lvl lvl-${level}` : 'lvl',
      };
    }),
    time: durationLabel(row.timeSpentMs, t),
    last: ctx.dateLabel(row.lastActivity),
    delivery: row.delivery
      ? {
          status: row.delivery.status,
          label: t(`teacher.delivery.${row.delivery.status}`),
          error: row.delivery.lastError,
        }
      : null,
    detailHref: `detail?${ctx.lti.lsQuery}&learner=${encodeURIComponent(row.sub)}`,
  };
}

/** Refreshes the roster when it is stale: in the background unless there is none yet. */
async function ensureRoster(deps: TeacherDeps, ctx: PageContext, force: boolean): Promise<string | null> {
  const { placement } = ctx;
  if (!placement.contextId || !placement.nrpsUrl) return null;
  const last = await deps.memberships.lastFetch(placement.platformId, placement.contextId);
  const stale = rosterIsStale(last?.fetchedAt, deps.clock.now(), deps.rosterMaxAgeMs);
  if (!force && !stale) return null;
  const platform = await deps.platforms.findById(placement.platformId);
  if (!platform) return null;
  const run = refreshRoster(
    { nrps: deps.nrps, memberships: deps.memberships, clock: deps.clock },
    platform,
    placement.contextId,
    placement.nrpsUrl,
    [SCOPES.nrps],
  );
  if (force || !last || last.fetchedAt <= 0) {
    const r = await run;
    return r.kind === 'failed' ? r.message : null;
  }
  run.catch((err: unknown) => deps.logger.warn({ err }, 'background roster refresh failed'));
  return null;
}

/** GET /teacher/dashboard: the class (or the mentor's learners) on this placement. */
export function dashboardPage(deps: TeacherDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const ctx = await pageContext(deps, res);
    if (!ctx) return;
    const { t, placement, entry, lti } = ctx;
    const rosterError = ctx.viewer.view === 'staff' ? await ensureRoster(deps, ctx, false) : null;
    const view = await loadClassView({ ...deps, outbox: deps.grades.outbox }, placement, entry, ctx.viewer);
    const lastFetch = placement.contextId
      ? await deps.memberships.lastFetch(placement.platformId, placement.contextId)
      : undefined;
    const competenceTitle = (id: string) => deps.catalogue().competenceTitle(id, ctx.locale);
    // The table shows a page of learners (a class of 2,000 in an LMS iframe is unreadable in one);
    // totals, charts and the CSV cover everyone.
    const pages = Math.max(1, Math.ceil(view.rows.length / PAGE_SIZE));
    const requested = Number.parseInt(String(req.query.page ?? '1'), 10);
    const page = Number.isFinite(requested) ? Math.min(Math.max(requested, 1), pages) : 1;
    const shown = view.rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const pageHref = (n: number) => `dashboard?${lti.lsQuery}&page=${n}`;
    res.setHeader('Cache-Control', 'no-store');
    res.render('teacher/dashboard', {
      locale: ctx.locale,
      title: t('teacher.dashboard.title'),
      ls: lti.token,
      lsQuery: lti.lsQuery,
      isStaff: ctx.viewer.view === 'staff',
      activity: entry ? entry.title[ctx.locale] : (placement.title ?? t('lti.activity.none')),
      course: placement.contextTitle ?? t('lti.course.none'),
      gradingLabel: t(`teacher.gradingname.${ctx.grading}`),
      totals: view.totals,
      count: view.rows.length,
      competences: view.competences.map((c) => ({ id: c, title: competenceTitle(c) })),
      hasCompetences: view.competences.length > 0,
      rows: shown.map((r) => rowView(r, view, ctx)),
      pagination:
        pages > 1
          ? {
              page,
              pages,
              from: (page - 1) * PAGE_SIZE + 1,
              to: (page - 1) * PAGE_SIZE + shown.length,
              prev: page > 1 ? pageHref(page - 1) : null,
              next: page < pages ? pageHref(page + 1) : null,
            }
          : null,
      charts: view.distribution.map((d) => ({
        ...distributionChart(d),
        title: `${d.competenceId} ${competenceTitle(d.competenceId)}`,
        assessed: d.assessed,
        mean: d.meanLevel ?? '—',
        counts: d.counts.map((n, level) => ({ level, n })),
      })),
      levels: Array.from({ length: view.maxLevel + 1 }, (_, i) => i),
      roster: {
        fetched: lastFetch && lastFetch.fetchedAt > 0 ? ctx.dateLabel(lastFetch.fetchedAt) : null,
        error: rosterError ?? lastFetch?.error ?? null,
        available: Boolean(placement.nrpsUrl),
      },
      notice: typeof req.query.notice === 'string' ? t(`teacher.notice.${req.query.notice}`) : null,
      agsAvailable: Boolean(placement.lineitemUrl || placement.lineitemsUrl),
    });
  };
}

/** GET /teacher/detail?learner=: one learner's answers (only a learner the viewer may see). */
export function learnerDetailPage(deps: TeacherDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const ctx = await pageContext(deps, res);
    if (!ctx) return;
    const sub = typeof req.query.learner === 'string' ? req.query.learner : '';
    const allowed = visibleSubs(ctx.viewer);
    if (!sub || (allowed && !allowed.has(sub))) {
      refuse(res, 404, ctx.locale, 'teacher.nolearner');
      return;
    }
    const view = await loadClassView(
      { ...deps, outbox: deps.grades.outbox },
      ctx.placement,
      ctx.entry,
      ctx.viewer,
      // One learner's row, not the whole class's, for a detail page.
      sub,
    );
    const row = view.rows.find((r) => r.sub === sub);
    if (!row) {
      refuse(res, 404, ctx.locale, 'teacher.nolearner');
      return;
    }
    const answers = row.attemptId
      ? await deps.dashboard.answers(ctx.placement.platformId, row.attemptId)
      : [];
    const { t, locale } = ctx;
    res.setHeader('Cache-Control', 'no-store');
    res.render('teacher/learner', {
      locale,
      title: t('teacher.detail.title'),
      lsQuery: ctx.lti.lsQuery,
      learner: rowView(row, view, ctx),
      competences: view.competences.map((c) => ({
        id: c,
        title: deps.catalogue().competenceTitle(c, locale),
      })),
      answers: answers.map((a) => {
        const challenge = deps.bank.challenges.get(a.challengeId);
        return {
          seq: a.seq,
          instruction: challenge ? challenge.instruction[locale] : a.challengeId,
          competence: challenge?.competenceId ?? '—',
          level: challenge?.level ?? '—',
          correct: a.status === 'ok',
          statusLabel: t(`teacher.answer.${a.status}`),
          time: a.timeSpentMs === null ? '—' : `${Math.round(a.timeSpentMs / 1000)} s`,
        };
      }),
      hasAnswers: answers.length > 0,
    });
  };
}

/** GET /teacher/export.csv?sep=comma|semicolon */
export function exportCsv(deps: TeacherDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const ctx = await pageContext(deps, res);
    if (!ctx) return;
    const { t } = ctx;
    const view = await loadClassView(
      { ...deps, outbox: deps.grades.outbox },
      ctx.placement,
      ctx.entry,
      ctx.viewer,
    );
    const header = [
      t('teacher.col.name'),
      t('teacher.col.id'),
      t('teacher.col.status'),
      t('teacher.col.score'),
      t('teacher.col.pix'),
      t('teacher.col.mastery'),
      ...view.competences.map((c) => t('teacher.col.level', { id: c })),
      t('teacher.col.time'),
      t('teacher.col.last'),
      t('teacher.col.delivery'),
    ];
    const rows = view.rows.map((r) => [
      r.name ?? '',
      r.sub,
      t(`teacher.status.${r.status}`),
      r.score,
      r.pix,
      r.masteryPercent,
      ...view.competences.map((c) => r.levels[c] ?? ''),
      Math.round(r.timeSpentMs / 60_000),
      r.lastActivity === null ? '' : new Date(r.lastActivity).toISOString(),
      r.delivery ? t(`teacher.delivery.${r.delivery.status}`) : '',
    ]);
    const sep = req.query.sep === 'semicolon' ? ';' : ',';
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="pix-lti-resultats.csv"');
    res.setHeader('Cache-Control', 'no-store');
    res.send(toCsv(header, rows, sep));
  };
}

/** POST /teacher/roster/refresh (staff). */
export function rosterRefresh(deps: TeacherDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const ctx = await pageContext(deps, res);
    if (!ctx) return;
    if (!formTokenMatches(req, ctx.lti)) return refuse(res, 403, ctx.locale, 'lti.session.forbidden');
    const error = await ensureRoster(deps, ctx, true);
    res.redirect(
      303,
      `${req.baseUrl}/dashboard?${ctx.lti.lsQuery}&notice=${error ? 'roster_failed' : 'roster_ok'}`,
    );
  };
}

/** POST /teacher/grades/resync (staff): queue again every learner's latest score. */
export function gradesResync(deps: TeacherDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const ctx = await pageContext(deps, res);
    if (!ctx) return;
    if (!formTokenMatches(req, ctx.lti)) return refuse(res, 403, ctx.locale, 'lti.session.forbidden');
    await deps.grades.resync(ctx.placement.platformId, ctx.placement.id);
    res.redirect(303, `${req.baseUrl}/dashboard?${ctx.lti.lsQuery}&notice=resync_ok`);
  };
}
