import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { buildDeepLinkingResponse, LtiError, type ContentItem } from '../../../lti';
import { translator, type Translate } from '../../i18n';
import type { LtiContext } from './context';
import { renderLtiError } from './errors';
import type { LaunchLocals } from './session';
import { displayName, type StoredLaunch } from './stored-launch';

/** Who, where, what and as whom: the facts every landing page shows. */
export function launchSummary(launch: StoredLaunch, t: Translate) {
  return {
    userName: displayName(launch) ?? t('lti.anonymous'),
    anonymous: displayName(launch) === null,
    course: launch.context?.title ?? launch.context?.label ?? t('lti.course.none'),
    activity: launch.resourceLink?.title ?? t('lti.activity.none'),
    role: t(`lti.role.${launch.view}`),
    view: launch.view,
  };
}

/**
 * GET /lti/activity: the landing page of a resource link launch, by role. A placeholder the learner
 * experience and the teacher dashboard replace (mount theirs before the LTI router, or swap this).
 */
export const activityPage: RequestHandler = (_req, res) => {
  const lti = res.locals.lti as LaunchLocals;
  const t = translator(res.locals.locale);
  const summary = launchSummary(lti.launch, t);
  const page =
    summary.view === 'staff' ? 'lti/instructor' : summary.view === 'mentor' ? 'lti/mentor' : 'lti/learner';
  res.render(page, {
    locale: res.locals.locale,
    title: t(`lti.${summary.view}.title`),
    ...summary,
    ls: lti.token,
  });
};

/** The catalogue comes later: one placeholder activity the instructor can add. */
export function placeholderCatalogue(t: Translate, publicUrl: string) {
  return [
    {
      id: 'assessment',
      title: t('lti.dl.item.assessment'),
      text: t('lti.dl.item.assessment.text'),
      url: `${publicUrl}/lti/launch`,
    },
  ];
}

/** GET /lti/deep-linking: the instructor picks what to add. */
export function deepLinkingPage(ctx: LtiContext): RequestHandler {
  return (_req, res) => {
    const lti = res.locals.lti as LaunchLocals;
    const t = translator(res.locals.locale);
    res.render('lti/deep-linking', {
      locale: res.locals.locale,
      title: t('lti.dl.title'),
      ...launchSummary(lti.launch, t),
      items: placeholderCatalogue(t, ctx.config.publicUrl),
      ls: lti.token,
    });
  };
}

const pickSchema = z.object({ item: z.string().min(1).max(100) });

/** POST /lti/deep-linking: signs the response with the library and hands the auto-submitting form. */
export function deepLinkingSubmit(ctx: LtiContext): RequestHandler {
  return async (req: Request, res: Response) => {
    const lti = res.locals.lti as LaunchLocals;
    const locale = res.locals.locale;
    const t = translator(locale);
    try {
      const settings = lti.launch.deepLinking;
      if (!settings || lti.launch.messageType !== 'LtiDeepLinkingRequest') {
        throw new LtiError('deep_linking_settings_missing');
      }
      const picked = pickSchema.safeParse(req.body);
      const entry = picked.success
        ? placeholderCatalogue(t, ctx.config.publicUrl).find((i) => i.id === picked.data.item)
        : undefined;
      if (!entry) throw new LtiError('deep_linking_item_invalid', 'unknown item');
      const item: ContentItem = {
        type: 'ltiResourceLink',
        url: entry.url,
        title: entry.title,
        text: entry.text,
        custom: { activity: entry.id },
        lineItem: { scoreMaximum: 100, label: entry.title, resourceId: entry.id, tag: 'pix-lti' },
      };
      const response = await buildDeepLinkingResponse({
        signer: ctx.keySet,
        clientId: lti.launch.clientId,
        platformIssuer: lti.launch.issuer,
        deploymentId: lti.session.deploymentId,
        settings,
        items: [item],
        now: ctx.clock.now(),
      });
      res.setHeader('Cache-Control', 'no-store');
      res.render('lti/deep-linking-return', {
        locale,
        title: t('lti.dl.sending'),
        scripts: ['lti-autosubmit.js'],
        action: response.form.action,
        jwt: response.form.fields.JWT,
      });
    } catch (err) {
      renderLtiError(req, res, err, { logger: ctx.logger, locale, step: 'deep_linking' });
    }
  };
}
