import type { Request } from 'express';
import type { LaunchLocals } from '../lti';

/**
 * A state-changing teacher form must carry the launch token in its body. The session cookie alone is
 * not enough: it is SameSite=None (it must work inside the LMS iframe), so another site could make the
 * browser send it; it cannot know the token.
 */
export function formTokenMatches(req: Request, lti: LaunchLocals): boolean {
  const body = req.body as Record<string, unknown> | undefined;
  return typeof body?.ls === 'string' && body.ls === lti.token;
}
