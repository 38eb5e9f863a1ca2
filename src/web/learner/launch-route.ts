import type { Launch } from '../../../lti';
import { syncPlacementFromLaunch, type LearningDeps } from '../../learning';
import { defaultLaunchRouter, type LaunchRouter } from '../lti/launch';

/**
 * After a verified resource-link launch: find or create the placement (refreshing its AGS and NRPS
 * values and binding `custom` activity=), remember the learner's names, then send learners to the
 * activity and instructors of an unconfigured link to the plain chooser. Everything else (deep
 * linking, mentors, instructors of a configured link) keeps the LTI router's default pages.
 *
 * Beyond the LTI core's statements, a launch that changes nothing (a known link, the same learner's
 * names) costs two reads and no write: the placement and the learner's names. A changed link or
 * learner costs one write each.
 */
export function learnerLaunchRoute(
  learning: LearningDeps,
  fallback: LaunchRouter = defaultLaunchRouter,
): LaunchRouter {
  return async (launch: Launch, token: string) => {
    if (launch.messageType !== 'LtiResourceLinkRequest' || !launch.resourceLink)
      return fallback(launch, token);
    const { placement } = await syncPlacementFromLaunch(
      {
        placements: learning.placements,
        bank: learning.bank,
        clock: learning.clock,
        newId: learning.random.id,
      },
      { ...launch, resourceLink: launch.resourceLink },
    );
    await learning.learners.upsert({
      platform_id: launch.platformId,
      sub: launch.sub,
      name: launch.name ?? null,
      given_name: launch.givenName ?? null,
      family_name: launch.familyName ?? null,
      email: launch.email ?? null,
      locale: launch.locale,
      updated_at: learning.clock.now(),
    });
    const ls = `ls=${encodeURIComponent(token)}`;
    if (launch.view === 'learner') return `/learn?${ls}`;
    if (launch.view === 'staff' && !placement.activityKind) return `/learn/choose?${ls}`;
    return fallback(launch, token);
  };
}
