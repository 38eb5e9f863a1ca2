import type { Request, RequestHandler, Response } from 'express';
import { buildDeepLinkingResponse, LtiError } from '../../../lti';
import {
  AUDIENCES,
  CATALOGUE_KINDS,
  DURATIONS,
  catalogueFilterSchema,
  contentItemsFor,
  filterCatalogue,
  selectionFromForm,
  SelectionError,
  acceptsResourceLinks,
  type CatalogueEntry,
} from '../../catalogue';
import { translator, type Translate } from '../../i18n';
import { renderLtiError } from '../lti';
import type { LaunchLocals } from '../lti';
import type { TeacherDeps } from './deps';
import { formTokenMatches } from './guards';

function entryView(
  e: CatalogueEntry,
  t: Translate,
  locale: 'fr' | 'en',
  competenceTitle: (id: string) => string,
) {
  return {
    value: e.value,
    domId: e.value.replace(/[^a-z0-9-]/gi, '-'),
    title: e.title[locale],
    description: e.description[locale],
    kindLabel: t(`teacher.kind.${e.kind}`),
    minutes: e.minutes,
    audiences: e.audiences.map((a) => t(`teacher.audience.${a}`)).join(', '),
    competences: e.competences.map((c) => ({ id: c, title: competenceTitle(c) })),
    steps: e.steps.map((s) => ({
      title: s.title[locale],
      kind: t(`teacher.step.${s.kind}`),
      minutes: s.minutes,
    })),
    objectives: e.objectives.map((o) => o[locale]),
    maxPix: e.maxPix,
    gradings: e.gradings.map((g) => ({
      value: g,
      label: t(`teacher.grading.${g}`, { max: g === 'pix' ? e.maxPix : g === 'mastery' ? 100 : 1 }),
      selected: g === e.defaultGrading,
    })),
  };
}

/** GET /teacher/catalogue: the searchable catalogue (a deep-linking request launch only). */
export function cataloguePage(deps: TeacherDeps): RequestHandler {
  return (req: Request, res: Response) => {
    const lti = res.locals.lti as LaunchLocals;
    const locale = res.locals.locale === 'en' ? 'en' : 'fr';
    const t = translator(locale);
    const settings = lti.launch.deepLinking;
    if (!settings || lti.launch.messageType !== 'LtiDeepLinkingRequest') {
      renderLtiError(req, res, new LtiError('deep_linking_settings_missing'), {
        logger: deps.logger,
        locale,
        step: 'deep_linking',
      });
      return;
    }
    const filter = catalogueFilterSchema.parse(req.query);
    const index = deps.catalogue();
    const competenceTitle = (id: string) => index.competenceTitle(id, locale);
    const { entries } = index;
    const shown = filterCatalogue(entries, filter, locale, competenceTitle);
    res.setHeader('Cache-Control', 'no-store');
    res.render('teacher/catalogue', {
      locale,
      title: t('teacher.catalogue.title'),
      ls: lti.token,
      course: lti.launch.context?.title ?? lti.launch.context?.label ?? t('lti.course.none'),
      multiple: settings.accept_multiple === true,
      acceptsLinks: acceptsResourceLinks(settings),
      filter,
      audiences: AUDIENCES.map((a) => ({
        value: a,
        label: t(`teacher.audience.${a}`),
        selected: filter.audience === a,
      })),
      kinds: CATALOGUE_KINDS.map((k) => ({
        value: k,
        label: t(`teacher.kind.${k}`),
        selected: filter.kind === k,
      })),
      durations: DURATIONS.map((d) => ({
        value: d,
        label: t(`teacher.duration.${d}`),
        selected: filter.duration === d,
      })),
      competences: index.competences(locale).map((c) => ({ ...c, selected: filter.competence === c.id })),
      items: shown.map((e) => entryView(e, t, locale, competenceTitle)),
      count: shown.length,
      total: entries.length,
      problem:
        typeof req.query.problem === 'string' ? t(`teacher.catalogue.problem.${req.query.problem}`) : null,
    });
  };
}

/** POST /teacher/catalogue: signs the LtiDeepLinkingResponse and hands the auto-submitting form. */
export function catalogueSubmit(deps: TeacherDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const lti = res.locals.lti as LaunchLocals;
    const locale = res.locals.locale === 'en' ? 'en' : 'fr';
    const t = translator(locale);
    try {
      if (!formTokenMatches(req, lti)) throw new LtiError('deep_linking_item_invalid', 'form token');
      const settings = lti.launch.deepLinking;
      if (!settings || lti.launch.messageType !== 'LtiDeepLinkingRequest') {
        throw new LtiError('deep_linking_settings_missing');
      }
      const { byValue } = deps.catalogue();
      let items;
      try {
        items = contentItemsFor(settings, byValue, selectionFromForm(req.body ?? {}, byValue), {
          launchUrl: `${deps.publicUrl}/lti/launch`,
          locale,
        });
      } catch (err) {
        if (err instanceof SelectionError) {
          res.redirect(303, `${req.baseUrl}/catalogue?${lti.lsQuery}&problem=${err.problem}`);
          return;
        }
        throw err;
      }
      const response = await buildDeepLinkingResponse({
        signer: deps.signer,
        clientId: lti.launch.clientId,
        platformIssuer: lti.launch.issuer,
        deploymentId: lti.session.deploymentId,
        settings,
        items,
        now: deps.clock.now(),
        msg: t('teacher.catalogue.added', { count: items.length }),
      });
      deps.logger.info(
        { platformId: lti.session.platformId, items: items.map((i) => i.custom?.activity) },
        'deep linking response signed',
      );
      res.setHeader('Cache-Control', 'no-store');
      res.render('teacher/deep-linking-return', {
        locale,
        title: t('teacher.catalogue.sending'),
        scripts: ['teacher-autosubmit.js'],
        action: response.form.action,
        jwt: response.form.fields.JWT,
        count: items.length,
      });
    } catch (err) {
      renderLtiError(req, res, err, { logger: deps.logger, locale, step: 'deep_linking' });
    }
  };
}
