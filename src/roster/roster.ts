import { classifyRoles, type NrpsClient, type RoleView, type ServicePlatform } from '../../lti';
import type { Clock } from '../clock';
import type { MembershipRecord, MembershipRepository } from '../db/repositories/memberships';

export interface RosterDeps {
  nrps: Pick<NrpsClient, 'members'>;
  memberships: MembershipRepository;
  clock: Clock;
  /** A cached roster older than this is refreshed in the background when the dashboard opens. */
  maxAgeMs?: number;
}

export const DEFAULT_ROSTER_MAX_AGE_MS = 6 * 3_600_000;

export type RefreshResult = { kind: 'ok'; count: number } | { kind: 'failed'; message: string };

/** Members as the dashboard sees them: NRPS roles classified like launch roles. */
export interface RosterMember extends MembershipRecord {
  view: RoleView;
  active: boolean;
}

export function toRosterMember(m: MembershipRecord): RosterMember {
  return { ...m, view: classifyRoles(m.roles), active: m.status === null || m.status === 'Active' };
}

/**
 * Fetches a context's roster with NRPS (every page, following rel="next") and replaces the cache.
 * A failure keeps the cached roster and records the platform's message.
 */
export async function refreshRoster(
  deps: RosterDeps,
  platform: ServicePlatform,
  contextId: string,
  membershipsUrl: string,
  granted?: string[],
): Promise<RefreshResult> {
  const r = await deps.nrps.members(platform, membershipsUrl, { granted });
  const now = deps.clock.now();
  if (r.kind !== 'ok') {
    const message = r.status ? `HTTP ${r.status}: ${r.message}` : r.message;
    await deps.memberships.recordFailure(platform.id, contextId, message, now);
    return { kind: 'failed', message };
  }
  await deps.memberships.replace(
    platform.id,
    contextId,
    r.value.members.map((m) => ({
      userSub: m.user_id,
      roles: m.roles,
      status: m.status ?? null,
      name: m.name ?? null,
      givenName: m.given_name ?? null,
      familyName: m.family_name ?? null,
      email: m.email ?? null,
    })),
    now,
  );
  return { kind: 'ok', count: r.value.members.length };
}

/** Whether the cached roster should be refreshed: never fetched, or older than the max age. */
export function rosterIsStale(
  fetchedAt: number | undefined,
  now: number,
  maxAgeMs = DEFAULT_ROSTER_MAX_AGE_MS,
): boolean {
  return fetchedAt === undefined || fetchedAt <= 0 || now - fetchedAt > maxAgeMs;
}
