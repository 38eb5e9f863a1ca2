import type { RoleView } from '../../lti';
import type { CatalogueEntry } from '../catalogue';
import type { DashboardRepository } from '../db/repositories/dashboard';
import type { MembershipRepository } from '../db/repositories/memberships';
import type { OutboxRepository } from '../db/repositories/outbox';
import type { PlacementRecord } from '../db/repositories/placements';
import { AGS_SCORE_KIND, agsPlacementPrefix } from '../grades/score';
import { toRosterMember } from '../roster';
import { buildClassView, type ClassView, type Delivery } from './class-view';
import { resolveLevels } from './summary';

export interface DashboardDeps {
  dashboard: DashboardRepository;
  memberships: Pick<MembershipRepository, 'list'>;
  outbox: Pick<OutboxRepository, 'listByKeyPrefix'>;
}

/** Who is looking: staff see the placement's whole class, mentors only the learners they follow. */
export interface Viewer {
  view: RoleView;
  sub: string;
  mentees: readonly string[];
}

export class DashboardForbidden extends Error {
  constructor() {
    super('dashboard_forbidden');
    this.name = 'DashboardForbidden';
  }
}

/** Which learners a viewer may see: null means the whole class. Learners never see the class. */
export function visibleSubs(viewer: Viewer): ReadonlySet<string> | null {
  if (viewer.view === 'staff') return null;
  if (viewer.view === 'mentor') return new Set(viewer.mentees);
  throw new DashboardForbidden();
}

/** The latest score row of each learner of a placement: what the gradebook got, or is about to. */
export async function latestDeliveries(
  outbox: DashboardDeps['outbox'],
  placement: PlacementRecord,
): Promise<Map<string, Delivery>> {
  const prefix = agsPlacementPrefix(placement.id);
  const rows = await outbox.listByKeyPrefix(placement.platformId, prefix, {
    kind: AGS_SCORE_KIND,
    statuses: ['pending', 'delivered', 'parked'],
  });
  const out = new Map<string, Delivery>();
  for (const r of rows) {
    if (!r.coalesceKey) continue;
    out.set(r.coalesceKey.slice(prefix.length), {
      status: r.status,
      lastError: r.lastError,
      at: r.createdAt,
      deliveredAt: r.deliveredAt,
    });
  }
  return out;
}

/** Loads and builds the class view of a placement for a viewer; every read is scoped by platform. */
export async function loadClassView(
  deps: DashboardDeps,
  placement: PlacementRecord,
  entry: CatalogueEntry | undefined,
  viewer: Viewer,
  /** Only this learner (a detail page), still within what the viewer may see. */
  only?: string,
): Promise<ClassView> {
  const visible = visibleSubs(viewer);
  const allowed = only === undefined ? visible : new Set(!visible || visible.has(only) ? [only] : []);
  const members = placement.contextId
    ? await deps.memberships.list(placement.platformId, placement.contextId)
    : [];
  const rows = await deps.dashboard.latestAttempts(
    placement.platformId,
    placement.id,
    allowed ? [...allowed] : undefined,
  );
  const { levels, stale } = resolveLevels(rows);
  // Summaries are a cache of the progress: storing them once spares the next views the parsing.
  if (stale.length) await deps.dashboard.saveSummaries(stale);
  const attempts = rows.map(({ summary: _s, progress: _p, ...a }) => ({
    ...a,
    levels: levels.get(a.id) ?? new Map<string, number>(),
  }));
  const deliveries = await latestDeliveries(deps.outbox, placement);
  const visibleMembers = members.map(toRosterMember).filter((m) => !allowed || allowed.has(m.userSub));
  const named = new Set(
    visibleMembers.filter((m) => m.name || m.givenName || m.familyName).map((m) => m.userSub),
  );
  const names = await deps.dashboard.learnerNames(
    placement.platformId,
    attempts.map((a) => a.userSub).filter((s) => !named.has(s)),
  );
  return buildClassView({
    grading: placement.grading,
    competences: entry?.competences ?? [],
    maxLevel: Math.max(1, entry?.maxLevel ?? 0),
    members: visibleMembers,
    attempts,
    deliveries,
    names,
  });
}
