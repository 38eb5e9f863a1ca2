import type { ToolKeySet } from '../../../lti';

export interface RotationPlan {
  kid: string;
  /** When the new key starts signing (it is published from now on). */
  signsFrom: number;
  /** When the keys signing today leave the JWKS (one more overlap after the switch). */
  oldRetireAfter: number;
  /** True when a rotation was already pending: nothing new was generated. */
  alreadyPending: boolean;
}

/** `npm run keys:rotate`: introduce a `next` key (or report the pending one) and say when things happen. */
export async function rotateToolKeys(
  keySet: ToolKeySet,
  now: number,
  overlapMs: number,
): Promise<RotationPlan> {
  const before = (await keySet.publicJwks(now)).keys.map((k) => k.kid);
  const next = await keySet.rotate(now, overlapMs);
  const signsFrom = next.activateAfter ?? now + overlapMs;
  return {
    kid: next.kid,
    signsFrom,
    oldRetireAfter: signsFrom + (signsFrom - next.createdAt),
    alreadyPending: before.includes(next.kid),
  };
}
