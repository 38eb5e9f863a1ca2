import type { Launch } from '../../../lti';

/**
 * Where staff and mentors land after a launch: the catalogue for a deep-linking request, the class
 * dashboard for a resource link. Undefined for anything else (learners), left to the other routes.
 */
export function teacherLaunchRoute(
  launch: Pick<Launch, 'messageType' | 'view'>,
  token: string,
): string | undefined {
  const ls = `ls=${encodeURIComponent(token)}`;
  if (launch.messageType === 'LtiDeepLinkingRequest') return `/teacher/catalogue?${ls}`;
  if (launch.view === 'staff' || launch.view === 'mentor') return `/teacher/dashboard?${ls}`;
  return undefined;
}
