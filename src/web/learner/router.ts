import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { AssessmentResult } from '../../assessment';
import type { Locale } from '../../content/schema';
import type { PlacementRecord } from '../../db/repositories/placements';
import { localeFromAcceptLanguage, resolveLocale, translator, type Translate } from '../../i18n';
import {
  attemptActivity,
  attemptResults,
  attestationPdf,
  checkpoint,
  chooseActivity,
  continueModule,
  currentChallenge,
  currentStep,
  latestAttempt,
  LearningError,
  moduleState,
  placementActivity,
  answerElement,
  startOrResume,
  stepMinutes,
  submitAnswerToLatest,
  verifyAttestation,
  type ActivityDef,
  type LearnerScope,
  type LearningDeps,
} from '../../learning';
import type { AttemptRow } from '../../db/repositories/attempts';
import { requireLaunch, type LaunchLocals } from '../lti';
import { displayName } from '../lti/stored-launch';
import { contentFiles } from './files';
import { parseAnswerForm, parseElementForm } from './forms';
import { blocks, formatDate, pick } from './text';
import {
  challengeView,
  checkpointView,
  competenceChart,
  elementView,
  hrefWith,
  type Href,
} from './view-models';

interface LearnContext {
  lti: LaunchLocals;
  scope: LearnerScope;
  placement: PlacementRecord;
  locale: Locale;
  t: Translate;
  href: Href;
}

const SCRIPTS = ['learner-focus.js'];

export interface LearnerRouterDeps {
  learning: LearningDeps;
  publicUrl: string;
  defaultLocale: Locale;
}

/**
 * The learner pages after a launch (/learn/*) and the public attestation check (/attestations/*).
 * Every /learn page needs the launch session; the placement comes from its resource link.
 */
export function createLearnerRouter(deps: LearnerRouterDeps): Router {
  const { learning } = deps;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

  const ctxOf = (res: Response) => res.locals.learn as LearnContext;

  async function withPlacement(req: Request, res: Response, next: NextFunction) {
    try {
      const lti = res.locals.lti as LaunchLocals;
      const locale = res.locals.locale as Locale;
      const t = translator(locale);
      const session = lti.session;
      if (!session.resourceLinkId) {
        res.status(404);
        page(res, 'error', locale, {
          title: t('learner.nolink.title'),
          heading: t('learner.nolink.title'),
          message: t('learner.nolink.body'),
          code: 'no_resource_link',
        });
        return;
      }
      const placement = await learning.placements.findByKey({
        platformId: session.platformId,
        deploymentId: session.deploymentId,
        resourceLinkId: session.resourceLinkId,
      });
      if (!placement) {
        res.status(404);
        page(res, 'error', locale, {
          title: t('learner.nolink.title'),
          heading: t('learner.nolink.title'),
          message: t('learner.nolink.body'),
          code: 'placement_missing',
        });
        return;
      }
      res.setHeader('Cache-Control', 'no-store');
      res.locals.learn = {
        lti,
        scope: { platformId: session.platformId, userSub: session.userSub },
        placement,
        locale,
        t,
        href: hrefWith(lti.token),
      } satisfies LearnContext;
      next();
    } catch (err) {
      next(err);
    }
  }

  function page(res: Response, view: string, locale: Locale, data: Record<string, unknown>) {
    res.render(view, { locale, base: '', scripts: SCRIPTS, ...data });
  }

  function go(res: Response, path: string, query: Record<string, string | number> = {}, hash = '') {
    res.redirect(303, ctxOf(res).href(path, query) + hash);
  }

  /** Where an attempt continues: its current step's page, or its results. */
  function currentPath(attempt: AttemptRow): string {
    const now = currentStep(learning, attempt);
    if (now.kind === 'done') return '/learn/results';
    return now.kind === 'assessment' ? '/learn/challenge' : '/learn/module';
  }

  async function requireAttempt(res: Response): Promise<AttemptRow | undefined> {
    const c = ctxOf(res);
    const attempt = await latestAttempt(learning, c.scope, c.placement.id);
    if (!attempt) go(res, '/learn');
    return attempt;
  }

  const wrap =
    (fn: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        await fn(req, res);
      } catch (err) {
        if (err instanceof LearningError) {
          go(res, '/learn');
          return;
        }
        next(err);
      }
    };

  const learn = Router();
  // No cookie-parser: requireLaunch reads its one cookie from the header itself.
  learn.use(form, requireLaunch(), withPlacement);

  // ------------------------------------------------------------------ start page

  learn.get(
    '/',
    wrap(async (_req, res) => {
      const c = ctxOf(res);
      const { t, locale } = c;
      const activity = placementActivity(learning, c.placement);
      if (!activity) {
        if (c.lti.launch.view === 'staff') return go(res, '/learn/choose');
        return page(res, 'learner/unconfigured', locale, {
          title: t('learner.unconfigured.title'),
          placementTitle: c.placement.title,
        });
      }
      const attempt = await latestAttempt(learning, c.scope, c.placement.id);
      page(res, 'learner/start', locale, {
        title: pick(activity.title, locale),
        ...startView(activity, attempt, locale, t),
        ls: c.lti.token,
        resultsHref: c.href('/learn/results'),
        isStaff: c.lti.launch.view === 'staff',
        chooseHref: c.href('/learn/choose'),
      });
    }),
  );

  function startView(activity: ActivityDef, attempt: AttemptRow | undefined, locale: Locale, t: Translate) {
    const done = attempt
      ? ((JSON.parse(attempt.progress ?? '{}') as { done?: Record<string, unknown> }).done ?? {})
      : {};
    const steps = activity.steps.map((step, i) => {
      const assessment =
        step.kind === 'assessment' ? learning.assessments.for(activity, step, 0, locale) : undefined;
      const state = done[step.id]
        ? 'done'
        : attempt && attempt.status === 'started' && attempt.step_index === i
          ? 'current'
          : 'todo';
      return {
        n: i + 1,
        title: pick(step.title, locale),
        kindLabel: t(`learner.kind.${step.kind}`),
        minutes: stepMinutes(step, assessment),
        state,
        stateLabel: t(`learner.step.${state}`),
        isDone: state === 'done',
        isCurrent: state === 'current',
      };
    });
    const minutes = steps.reduce((n, s) => n + s.minutes, 0);
    const objectives =
      activity.ref.kind === 'module'
        ? activity.steps.flatMap((s) =>
            s.kind === 'module' ? s.module.details.objectives.map((o) => pick(o, locale)) : [],
          )
        : activity.steps.flatMap((s) =>
            s.kind === 'module'
              ? s.module.details.objectives.map((o) => pick(o, locale))
              : [t('learner.start.objective.assessment', { step: pick(s.title, locale) })],
          );
    const hasAssessment = activity.steps.some((s) => s.kind === 'assessment');
    return {
      activityTitle: pick(activity.title, locale),
      kindLabel: t(
        `learner.kind.${activity.ref.kind === 'module' ? 'module' : hasAssessment && activity.steps.length === 1 ? 'assessment' : 'parcours'}`,
      ),
      description: blocks(activity.description, locale),
      minutes,
      objectives,
      steps,
      multiStep: steps.length > 1,
      hasAssessment,
      hasModule: activity.steps.some((s) => s.kind === 'module'),
      attestation: activity.parcours?.attestation
        ? pick(activity.parcours.attestation.title, locale)
        : undefined,
      started: attempt?.status === 'started',
      completed: attempt?.status === 'completed',
      notStarted: !attempt,
    };
  }

  learn.post(
    '/start',
    wrap(async (_req, res) => {
      const c = ctxOf(res);
      const attempt = await startOrResume(learning, c.scope, c.placement, c.locale);
      go(res, currentPath(attempt));
    }),
  );

  // ------------------------------------------------------------------ assessment runner

  learn.get(
    '/challenge',
    wrap(async (req, res) => {
      const c = ctxOf(res);
      const { t, locale } = c;
      const attempt = await requireAttempt(res);
      if (!attempt) return;
      const state = await currentChallenge(learning, c.scope, attempt.id, attempt);
      if (state.kind === 'done') return go(res, '/learn/results');
      if (state.kind === 'not-assessment') {
        const fresh = (await latestAttempt(learning, c.scope, c.placement.id))!;
        return go(res, fresh.status === 'completed' ? '/learn/results' : '/learn');
      }
      const now = learning.clock.now();
      const error = req.query.error === 'empty';
      const notice = req.query.notice === 'already' ? t('learner.runner.already') : undefined;
      const view = challengeView(state.challenge, locale, c.href, undefined, attempt.id);
      const remaining = state.deadline ? Math.max(0, Math.ceil((state.deadline - now) / 1000)) : undefined;
      page(res, 'learner/challenge', locale, {
        title: t('learner.runner.title', { n: state.index }),
        scripts: state.deadline ? [...SCRIPTS, 'learner-timer.js'] : SCRIPTS,
        activityTitle: pick(state.activity.title, locale),
        stepTitle: state.activity.steps.length > 1 ? pick(state.step.title, locale) : undefined,
        index: state.index,
        expected: state.expected,
        progressValue: state.index - 1,
        progressLabel: t('learner.runner.progress', { n: state.index, total: state.expected }),
        challenge: view,
        hasIllustration: Boolean(view.illustration),
        timer: state.deadline
          ? {
              seconds: state.challenge.timer,
              remaining,
              deadline: state.deadline,
              now,
              expired: remaining === 0,
            }
          : undefined,
        error,
        errorText: error
          ? t(view.isFields ? 'learner.runner.empty.fields' : 'learner.runner.empty.choice')
          : undefined,
        notice,
        action: '/learn/answer',
        ls: c.lti.token,
      });
    }),
  );

  learn.post(
    '/answer',
    wrap(async (req, res) => {
      const c = ctxOf(res);
      const input = parseAnswerForm(req.body);
      if (!input) {
        if (await requireAttempt(res)) go(res, '/learn/challenge');
        return;
      }
      // The attempt is read once, locked, inside the answer's transaction.
      const outcome = await submitAnswerToLatest(learning, c.scope, c.placement.id, input);
      switch (outcome.kind) {
        case 'no-attempt':
          return go(res, '/learn');
        case 'stored':
          return go(res, outcome.checkpoint ? '/learn/checkpoint' : '/learn/challenge');
        case 'empty':
          return go(res, '/learn/challenge', { error: 'empty' });
        case 'duplicate':
        case 'not-current':
          return go(res, '/learn/challenge', { notice: 'already' });
      }
    }),
  );

  learn.get(
    '/checkpoint',
    wrap(async (_req, res) => {
      const c = ctxOf(res);
      const attempt = await requireAttempt(res);
      if (!attempt) return;
      const { items } = await checkpoint(learning, c.scope, attempt.id);
      if (items.length === 0) return go(res, currentPath(attempt));
      const view = checkpointView(items, c.locale, c.t);
      page(res, 'learner/checkpoint', c.locale, {
        title: c.t('learner.checkpoint.title'),
        items: view,
        right: view.filter((i) => i.ok).length,
        total: view.length,
        continueHref: c.href('/learn/challenge'),
      });
    }),
  );

  // ------------------------------------------------------------------ module player

  learn.get(
    '/module',
    wrap(async (req, res) => {
      const c = ctxOf(res);
      const { t, locale } = c;
      const attempt = await requireAttempt(res);
      if (!attempt) return;
      const state = await moduleState(learning, c.scope, attempt.id);
      if (!state) return go(res, currentPath(attempt));
      const asked = Number(req.query.grain);
      const index = Number.isInteger(asked) && asked >= 0 && asked <= state.current ? asked : state.current;
      const entry = state.grains[Math.min(index, state.grains.length - 1)]!;
      const focus = typeof req.query.focus === 'string' ? req.query.focus : undefined;
      const elements = entry.grain.elements.map((e) => ({
        ...elementView(e, locale, c.href, t, state.answers.get(e.id), focus),
        error: req.query.error === e.id,
      }));
      const activity = attemptActivity(learning, attempt);
      page(res, 'learner/module', locale, {
        title: `${pick(entry.grain.title, locale)} – ${pick(state.module.title, locale)}`,
        moduleTitle: pick(state.module.title, locale),
        activityTitle: activity.steps.length > 1 ? pick(activity.title, locale) : undefined,
        sectionTitle: pick(entry.section.title, locale),
        grainTitle: pick(entry.grain.title, locale),
        grainId: entry.grain.id,
        grainIndex: index,
        grainKind: t(`learner.grain.${entry.grain.kind}`),
        elements,
        focusHeading: !focus,
        position: index + 1,
        total: state.grains.length,
        progressLabel: t('learner.module.progress', { n: index + 1, total: state.grains.length }),
        isCurrent: index === state.current,
        isLast: index === state.grains.length - 1,
        previousHref: index > 0 ? c.href('/learn/module', { grain: index - 1 }) : undefined,
        currentHref: index < state.current ? c.href('/learn/module') : undefined,
        ls: c.lti.token,
      });
    }),
  );

  learn.post(
    '/module/element',
    wrap(async (req, res) => {
      const c = ctxOf(res);
      const attempt = await requireAttempt(res);
      if (!attempt) return;
      const parsed = parseElementForm(req.body);
      if (!parsed) return go(res, '/learn/module');
      const outcome = await answerElement(learning, c.scope, attempt.id, parsed.elementId, parsed.submission);
      const grain = typeof req.body?.grain === 'string' ? req.body.grain : '';
      const query: Record<string, string> = { focus: parsed.elementId };
      if (/^\d+$/.test(grain)) query.grain = grain;
      if (outcome.kind === 'empty') query.error = parsed.elementId;
      go(res, '/learn/module', query, `#fb-${parsed.elementId}`);
    }),
  );

  learn.post(
    '/module/continue',
    wrap(async (req, res) => {
      const c = ctxOf(res);
      const attempt = await requireAttempt(res);
      if (!attempt) return;
      const grainId = typeof req.body?.grain === 'string' ? req.body.grain : '';
      const moved = await continueModule(learning, c.scope, attempt.id, grainId);
      const fresh = (await latestAttempt(learning, c.scope, c.placement.id))!;
      if (moved.stepEnded) return go(res, fresh.status === 'completed' ? '/learn/results' : '/learn');
      go(res, currentPath(fresh));
    }),
  );

  // ------------------------------------------------------------------ results

  learn.get(
    '/results',
    wrap(async (_req, res) => {
      const c = ctxOf(res);
      const { t, locale } = c;
      const attempt = await requireAttempt(res);
      if (!attempt) return;
      const r = await attemptResults(learning, c.scope, attempt.id);
      if (!r.steps.some((s) => s.outcome)) return go(res, currentPath(attempt));
      const steps = r.steps.map((s) => {
        if (s.step.kind === 'module') {
          return {
            title: pick(s.step.title, locale),
            isModule: true,
            done: Boolean(s.outcome),
            masteryPercent: s.outcome?.masteryPercent,
          };
        }
        const result = s.result;
        return {
          title: pick(s.step.title, locale),
          isAssessment: true,
          done: Boolean(result),
          ...(result && s.outcome ? assessmentResultView(result, s.step, locale, t, c.href) : {}),
        };
      });
      page(res, 'learner/results', locale, {
        title: t('learner.results.title'),
        activityTitle: pick(r.activity.title, locale),
        completed: r.attempt.status === 'completed',
        isParcours: r.activity.ref.kind === 'parcours' && r.activity.steps.length > 1,
        masteryPercent: r.masteryPercent,
        pix: r.summary.pix,
        steps,
        attestation: r.attestation
          ? {
              code: r.attestation.code,
              href: c.href('/learn/attestation'),
              pdfHref: c.href('/learn/attestation.pdf'),
              verifyUrl: `${deps.publicUrl}/attestations/${r.attestation.code}`,
            }
          : undefined,
        attestationMissed:
          r.attempt.status === 'completed' && !r.attestation && Boolean(r.activity.parcours?.attestation),
        continueHref: r.attempt.status === 'started' ? c.href('/learn') : undefined,
      });
    }),
  );

  function assessmentResultView(
    result: AssessmentResult,
    step: Extract<ActivityDef['steps'][number], { kind: 'assessment' }>,
    locale: Locale,
    t: Translate,
    href: Href,
  ) {
    const bank = learning.bank;
    const maxPer = new Map<string, number>();
    for (const tube of result.tubes) {
      const skills = bank.tubes.get(tube.tubeId)?.skills ?? [];
      const cap = Math.max(...skills.map((s) => s.level), 0);
      maxPer.set(tube.competenceId, Math.max(maxPer.get(tube.competenceId) ?? 0, cap * 8));
    }
    const competences = result.competences.map((cr) => ({
      id: cr.competenceId,
      title: bank.competences.get(cr.competenceId)?.title[locale] ?? cr.competenceId,
      pix: cr.pix,
      level: cr.level,
    }));
    const tubeView = (tubeId: string) => {
      const tube = bank.tubes.get(tubeId);
      const modules = [...bank.modules.values()]
        .filter((m) => tube && m.competences.includes(tube.competenceId))
        .slice(0, 3)
        .map((m) => ({ title: pick(m.title, locale), href: href(`/learn/read/${m.id}`) }));
      return { title: tube ? pick(tube.title, locale) : tubeId, modules };
    };
    return {
      pix: result.pix,
      masteryPercent: result.masteryPercent,
      competences,
      chart: competenceChart(bank, result, locale, maxPer),
      chartLabel: t('learner.results.chart', {
        summary: competences.map((x) => `${x.id} ${x.title}: ${x.pix} pix`).join('; '),
      }),
      stage: result.stage
        ? { title: pick(result.stage.title, locale), message: pick(result.stage.message, locale) }
        : undefined,
      strengths: result.strengths.slice(0, 4).map(tubeView),
      weaknesses: result.weaknesses.slice(0, 4).map(tubeView),
      stepId: step.id,
    };
  }

  // ------------------------------------------------------------------ module reading (from results)

  learn.get(
    '/read/:moduleId',
    wrap(async (req, res) => {
      const c = ctxOf(res);
      const module = learning.bank.modules.get(String(req.params.moduleId));
      if (!module) return go(res, '/learn/results');
      const sections = module.sections.map((s) => ({
        title: pick(s.title, c.locale),
        grains: s.grains.map((g) => ({
          title: pick(g.title, c.locale),
          elements: g.elements
            .filter((e) =>
              ['text', 'image', 'video', 'expand', 'flashcards', 'download', 'separator'].includes(e.type),
            )
            .map((e) => elementView(e, c.locale, c.href, c.t, undefined, undefined)),
        })),
      }));
      page(res, 'learner/read', c.locale, {
        title: pick(module.title, c.locale),
        moduleTitle: pick(module.title, c.locale),
        description: blocks(module.details.description, c.locale),
        minutes: module.details.minutes,
        sections,
        readOnly: true,
        backHref: c.href('/learn/results'),
      });
    }),
  );

  // ------------------------------------------------------------------ attestation

  async function ownAttestation(res: Response) {
    const c = ctxOf(res);
    const attempt = await latestAttempt(learning, c.scope, c.placement.id);
    if (!attempt || attempt.status !== 'completed') return undefined;
    const row = await learning.attestations.byAttempt(attempt.id);
    if (!row) return undefined;
    const parcours = learning.bank.parcours.get(row.parcours_id);
    return { row, parcours, c };
  }

  learn.get(
    '/attestation',
    wrap(async (_req, res) => {
      const found = await ownAttestation(res);
      if (!found) return go(res, '/learn/results');
      const { row, parcours, c } = found;
      page(res, 'learner/attestation', c.locale, {
        title: parcours?.attestation ? pick(parcours.attestation.title, c.locale) : row.parcours_id,
        attestationTitle: parcours?.attestation
          ? pick(parcours.attestation.title, c.locale)
          : row.parcours_id,
        description: parcours?.attestation ? pick(parcours.attestation.description, c.locale) : '',
        parcoursTitle: parcours ? pick(parcours.title, c.locale) : row.parcours_id,
        holder: row.holder_name ?? displayName(c.lti.launch) ?? c.t('learner.attestation.anonymous'),
        issuedOn: formatDate(row.issued_at, c.locale),
        code: row.code,
        verifyUrl: `${deps.publicUrl}/attestations/${row.code}`,
        pdfHref: c.href('/learn/attestation.pdf'),
        backHref: c.href('/learn/results'),
      });
    }),
  );

  learn.get(
    '/attestation.pdf',
    wrap(async (_req, res) => {
      const found = await ownAttestation(res);
      if (!found) return go(res, '/learn/results');
      const { row, parcours, c } = found;
      const bytes = await attestationPdf({
        locale: c.locale,
        holderName: row.holder_name,
        title: parcours?.attestation ? pick(parcours.attestation.title, c.locale) : row.parcours_id,
        parcoursTitle: parcours ? pick(parcours.title, c.locale) : row.parcours_id,
        description: parcours?.attestation ? pick(parcours.attestation.description, c.locale) : '',
        issuedOn: formatDate(row.issued_at, c.locale),
        code: row.code,
        verifyUrl: `${deps.publicUrl}/attestations/${row.code}`,
        labels: {
          awardedTo: c.t('learner.attestation.awardedTo'),
          issuedOn: c.t('learner.attestation.issuedOn'),
          code: c.t('learner.attestation.code'),
          verify: c.t('learner.attestation.verifyAt'),
          anonymous: c.t('learner.attestation.anonymous'),
        },
      });
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="attestation-${row.code}.pdf"`);
      res.end(Buffer.from(bytes));
    }),
  );

  // ------------------------------------------------------------------ unconfigured placement (staff)

  learn.get(
    '/choose',
    wrap(async (_req, res) => {
      const c = ctxOf(res);
      if (c.lti.launch.view !== 'staff') return go(res, '/learn');
      const bank = learning.bank;
      const entry = (kind: 'parcours' | 'module', id: string, title: string, text: string) => ({
        value: `${kind}:${id}`,
        inputId: `act-${kind}-${id}`,
        title,
        text,
        checked: c.placement.activityKind === kind && c.placement.activityId === id,
      });
      page(res, 'learner/choose', c.locale, {
        title: c.t('learner.choose.title'),
        placementTitle: c.placement.title,
        parcours: [...bank.parcours.values()].map((p) =>
          entry('parcours', p.id, pick(p.title, c.locale), pick(p.description, c.locale)),
        ),
        modules: [...bank.modules.values()].map((m) =>
          entry('module', m.id, pick(m.title, c.locale), pick(m.details.description, c.locale)),
        ),
        ls: c.lti.token,
        error: res.locals.chooseError,
      });
    }),
  );

  learn.post(
    '/choose',
    requireLaunch(['staff']),
    wrap(async (req, res) => {
      const c = ctxOf(res);
      const activity = typeof req.body?.activity === 'string' ? req.body.activity : '';
      const bound = await chooseActivity(
        {
          placements: learning.placements,
          bank: learning.bank,
          clock: learning.clock,
          newId: learning.random.id,
        },
        c.scope.platformId,
        c.placement.id,
        activity,
      );
      go(res, bound ? '/learn' : '/learn/choose');
    }),
  );

  learn.get('/files/*file', contentFiles(learning.bank));

  router.use('/learn', learn);

  // ------------------------------------------------------------------ public verification

  const publicLocale = (req: Request): Locale =>
    typeof req.query.lang === 'string'
      ? resolveLocale(req.query.lang, deps.defaultLocale)
      : localeFromAcceptLanguage(req.headers['accept-language'], deps.defaultLocale);

  router.get('/attestations', (req, res) => {
    const locale = publicLocale(req);
    const code = typeof req.query.code === 'string' ? req.query.code.trim().toUpperCase() : '';
    if (code) {
      res.redirect(303, `/attestations/${encodeURIComponent(code)}`);
      return;
    }
    page(res, 'learner/verify', locale, { title: translator(locale)('learner.verify.title'), scripts: [] });
  });

  router.get('/attestations/:code', async (req, res, next) => {
    try {
      const locale = publicLocale(req);
      const t = translator(locale);
      const found = await verifyAttestation(learning, String(req.params.code));
      res.setHeader('Cache-Control', 'no-store');
      if (!found) res.status(404);
      page(res, 'learner/verify', locale, {
        title: t('learner.verify.title'),
        scripts: [],
        checked: true,
        found: found
          ? {
              code: found.code,
              holder: found.holderInitials ?? t('learner.verify.unknownHolder'),
              title: found.attestationTitle[locale],
              parcours: found.parcoursTitle[locale],
              issuedOn: formatDate(found.issuedAt, locale),
            }
          : undefined,
        code: String(req.params.code).slice(0, 40),
      });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
