import { loadClassView } from '../../../src/dashboard';
import { createAttemptRepository } from '../../../src/db/repositories/attempts';
import { createDashboardRepository } from '../../../src/db/repositories/dashboard';
import { createMembershipRepository } from '../../../src/db/repositories/memberships';
import { createOutboxRepository } from '../../../src/db/repositories/outbox';
import { createPlacementRepository, type PlacementRecord } from '../../../src/db/repositories/placements';
import { createPlatformRepository } from '../../../src/db/repositories/platforms';
import { createTestDb, testDialects, type TestDb } from '../../support/databases';

jest.setTimeout(60_000);

const progress = (levels: Record<string, number>) =>
  JSON.stringify({
    done: {
      positionnement: {
        kind: 'assessment',
        result: {
          competences: Object.entries(levels).map(([competenceId, level]) => ({ competenceId, level })),
          // What makes real progress documents big: the dashboard never needs it.
          skills: Array.from({ length: 50 }, (_, i) => ({ skillId: `s${i}`, status: 'validated' })),
        },
      },
    },
    grains: {},
  });

describe.each(testDialects())('dashboard level summaries (%s)', (dialect) => {
  let db: TestDb;
  let placement: PlacementRecord;

  beforeEach(async () => {
    db = await createTestDb(dialect);
    const platform = await createPlatformRepository(db, { now: () => 1 }).add({
      issuer: 'https://moodle.test',
      clientId: 'c',
      name: 'Moodle',
      authEndpoint: 'https://moodle.test/auth',
      tokenEndpoint: 'https://moodle.test/token',
      jwksUri: 'https://moodle.test/certs',
      status: 'active',
      source: 'manual',
      deploymentIds: ['1'],
    });
    placement = await createPlacementRepository(db).upsertFromLaunch(
      { platformId: platform.id, deploymentId: '1', resourceLinkId: 'rl' },
      {
        contextId: null,
        contextTitle: null,
        title: null,
        lineitemsUrl: null,
        lineitemUrl: null,
        agsScopes: [],
        nrpsUrl: null,
      },
      1,
      () => 'placement-1',
    );
    const attempts = createAttemptRepository(db);
    await attempts.transaction(async (tx) => {
      for (const [i, sub] of ['ana', 'ben'].entries()) {
        await attempts.insert(tx, {
          id: `att-${sub}`,
          placement_id: placement.id,
          platform_id: platform.id,
          user_sub: sub,
          number: 1,
          activity_kind: 'parcours',
          activity_id: 'p',
          content_version: 'v',
          algorithm: null,
          seed: i,
          locale: 'fr',
          status: 'started',
          step_index: 1,
          current_challenge_id: null,
          current_shown_at: null,
          progress: progress({ '1.1': i + 1 }),
          result: null,
          started_at: 10,
          updated_at: 20,
          completed_at: null,
        });
      }
    });
  });
  afterEach(async () => {
    await db.drop();
  });

  const withCompetences = async () => {
    const v = await loadClassView(
      {
        dashboard: createDashboardRepository(db),
        memberships: createMembershipRepository(db),
        outbox: createOutboxRepository(db),
      },
      placement,
      { competences: ['1.1'], maxLevel: 2 } as Parameters<typeof loadClassView>[2],
      { view: 'staff', sub: 'teacher', mentees: [] },
    );
    return Object.fromEntries(v.rows.map((r) => [r.sub, r.levels['1.1']]));
  };

  it('summarises rows written before summaries existed, then reads the summary instead of the progress', async () => {
    const repo = createDashboardRepository(db);
    const before = await repo.latestAttempts(placement.platformId, placement.id);
    expect(before.map((a) => [a.summary, a.progress !== null])).toEqual([
      [null, true],
      [null, true],
    ]);
    expect(await withCompetences()).toEqual({ ana: 1, ben: 2 });
    const after = await repo.latestAttempts(placement.platformId, placement.id);
    expect(after.map((a) => [a.userSub, a.summary, a.progress]).sort()).toEqual([
      ['ana', '{"1.1":1}', null],
      ['ben', '{"1.1":2}', null],
    ]);
    expect(await withCompetences()).toEqual({ ana: 1, ben: 2 });
  });

  it('reads the progress again once the attempt has been written since its summary', async () => {
    expect(await withCompetences()).toEqual({ ana: 1, ben: 2 });
    const attempts = createAttemptRepository(db);
    await attempts.setProgress(db.kysely, 'att-ana', progress({ '1.1': 2 }), 30);
    const rows = await createDashboardRepository(db).latestAttempts(placement.platformId, placement.id);
    expect(rows.find((a) => a.userSub === 'ana')).toMatchObject({ summary: null });
    expect(await withCompetences()).toEqual({ ana: 2, ben: 2 });
  });

  it('never replaces a summary with one of an older write', async () => {
    const repo = createDashboardRepository(db);
    // A summary unlike the progress shows which one the view trusts.
    await repo.saveSummaries([{ attemptId: 'att-ana', updatedAt: 20, levels: '{"1.1":0}' }]);
    await repo.saveSummaries([{ attemptId: 'att-ana', updatedAt: 19, levels: '{"1.1":2}' }]);
    const rows = await repo.latestAttempts(placement.platformId, placement.id);
    expect(rows.find((a) => a.userSub === 'ana')!.summary).toBe('{"1.1":0}');
    expect(await withCompetences()).toEqual({ ana: 0, ben: 2 });
  });

  it('loads one learner for a detail page, never one the viewer may not see', async () => {
    const deps = {
      dashboard: createDashboardRepository(db),
      memberships: createMembershipRepository(db),
      outbox: createOutboxRepository(db),
    };
    const staff = await loadClassView(
      deps,
      placement,
      undefined,
      { view: 'staff', sub: 't', mentees: [] },
      'ben',
    );
    expect(staff.rows.map((r) => r.sub)).toEqual(['ben']);
    const mentor = { view: 'mentor' as const, sub: 'parent', mentees: ['ana'] };
    expect((await loadClassView(deps, placement, undefined, mentor, 'ben')).rows).toEqual([]);
    expect((await loadClassView(deps, placement, undefined, mentor, 'ana')).rows.map((r) => r.sub)).toEqual([
      'ana',
    ]);
  });
});
