import { createMembershipRepository } from '../../../src/db/repositories/memberships';
import { createServiceClients } from '../../../src/grades';
import { refreshRoster, rosterIsStale } from '../../../src/roster';
import { createTestDb, testDialects, type TestDb } from '../../support/databases';
import { startGradeHarness, type GradeHarness } from '../grades/harness';

jest.setTimeout(120_000);

describe.each(testDialects())('NRPS roster cache (%s)', (dialect) => {
  let db: TestDb;
  let h: GradeHarness;

  beforeEach(async () => {
    db = await createTestDb(dialect);
    h = await startGradeHarness(db, { sim: { memberCount: 2_000, nrpsPageSize: 100 } });
  });
  afterEach(async () => {
    await h.close();
    await db.drop();
  });

  const deps = () => ({
    nrps: createServiceClients({ signer: h.keys, clock: h.clock }).nrps,
    memberships: createMembershipRepository(db),
    clock: h.clock,
  });

  it('fetches a 2,000-member course page by page and caches it', async () => {
    const r = await refreshRoster(deps(), h.platform, 'course-1', h.sim.membershipsUrl('course-1'));
    const expected = h.sim.members('course-1').length;
    expect(expected).toBeGreaterThan(2_000);
    expect(r).toEqual({ kind: 'ok', count: expected });
    const pages = h.sim.requests.filter((q) => q.path.includes('/memberships')).length;
    expect(pages).toBe(Math.ceil(expected / 100));
    const cached = await createMembershipRepository(db).list(h.platform.id, 'course-1');
    expect(cached).toHaveLength(expected);
    expect(cached.find((m) => m.userSub === 'gen-2000')).toMatchObject({
      name: 'Apprenant 2000',
      roles: ['Learner'],
    });
    const fetch = await createMembershipRepository(db).lastFetch(h.platform.id, 'course-1');
    expect(fetch).toMatchObject({ memberCount: expected, error: null, fetchedAt: h.clock.now() });
  });

  it('keeps the cached roster and records the platform message when a refresh fails', async () => {
    await refreshRoster(deps(), h.platform, 'course-1', h.sim.membershipsUrl('course-1'));
    h.sim.setOutage('memberships', { status: 403 });
    h.clock.advance(60_000);
    const r = await refreshRoster(deps(), h.platform, 'course-1', h.sim.membershipsUrl('course-1'));
    expect(r.kind).toBe('failed');
    const repo = createMembershipRepository(db);
    expect((await repo.list(h.platform.id, 'course-1')).length).toBeGreaterThan(2_000);
    expect((await repo.lastFetch(h.platform.id, 'course-1'))!.error).toContain('403');
  });

  it('is stale when never fetched or older than its maximum age', () => {
    expect(rosterIsStale(undefined, 10)).toBe(true);
    expect(rosterIsStale(1_000, 1_000 + 60_000, 3_600_000)).toBe(false);
    expect(rosterIsStale(1_000, 1_000 + 3_600_001, 3_600_000)).toBe(true);
  });
});
