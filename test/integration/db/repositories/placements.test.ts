import {
  createPlacementRepository,
  type PlacementRepository,
} from '../../../../src/db/repositories/placements';
import { createPlatformRepository } from '../../../../src/db/repositories/platforms';
import { syncPlacementFromLaunch } from '../../../../src/learning';
import { testContent } from '../../../support/app';
import { createTestDb, testDialects, type TestDb } from '../../../support/databases';

const values = {
  contextId: 'course-1',
  contextTitle: 'Classe de 6e B',
  title: 'Rentrée',
  lineitemsUrl: 'https://lms.example/ags/1/lineitems',
  lineitemUrl: null,
  agsScopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
  nrpsUrl: 'https://lms.example/nrps/1',
};

describe.each(testDialects())('placements found or created by launches on %s', (dialect) => {
  let db: TestDb;
  let placements: PlacementRepository;
  let platformId: string;
  let t = 1_700_000_000_000;
  const clock = { now: () => t };
  let ids = 0;
  const newId = () => `placement-${++ids}`;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    platformId = (
      await createPlatformRepository(db, clock).add({
        issuer: 'https://lms.example',
        clientId: 'c1',
        name: 'LMS',
        authEndpoint: 'https://lms.example/auth',
        jwksUri: 'https://lms.example/jwks',
        status: 'active',
        source: 'manual',
        deploymentIds: ['1'],
      })
    ).id;
    placements = createPlacementRepository(db);
  }, 60_000);
  afterAll(() => db.drop());

  const keyOf = (resourceLinkId: string) => ({ platformId, deploymentId: '1', resourceLinkId });
  const rowsOf = (resourceLinkId: string) =>
    db.kysely
      .selectFrom('placements')
      .select('id')
      .where('platform_id', '=', platformId)
      .where('resource_link_id', '=', resourceLinkId)
      .execute();

  it('concurrent first launches of a new link end with one row, and every launch gets that row', async () => {
    const deps = { placements, bank: testContent(), clock, newId };
    const launch = {
      platformId,
      deploymentId: '1',
      resourceLink: { id: 'rl-rush', title: 'Rentrée' },
      context: { id: 'course-1', title: 'Classe de 6e B' },
      custom: { activity: 'rentree-6e' },
    };
    const synced = await Promise.all(Array.from({ length: 8 }, () => syncPlacementFromLaunch(deps, launch)));
    const rows = await rowsOf('rl-rush');
    expect(rows).toHaveLength(1);
    expect(new Set(synced.map((s) => s.placement.id))).toEqual(new Set([rows[0]!.id]));
    for (const { placement } of synced) {
      expect(placement).toMatchObject({
        activityKind: 'parcours',
        activityId: 'rentree-6e',
        grading: 'mastery',
      });
    }
  });

  it('concurrent first upserts with different values also end with one row', async () => {
    const upserted = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        placements.upsertFromLaunch(keyOf('rl-rush-2'), { ...values, title: `Rentrée ${i}` }, t, newId),
      ),
    );
    const rows = await rowsOf('rl-rush-2');
    expect(rows).toHaveLength(1);
    expect(new Set(upserted.map((p) => p.id))).toEqual(new Set([rows[0]!.id]));
    // Whichever ran last is what the row holds, and it is one of the launches' titles.
    expect((await placements.findByKey(keyOf('rl-rush-2')))?.title).toMatch(/^Rentrée [0-7]$/);
  });

  it('upsertFromLaunch creates the row, refreshes changed values, and leaves the activity and created_at', async () => {
    const created = await placements.upsertFromLaunch(keyOf('rl-contract'), values, t, () => 'the-id');
    expect(created).toEqual({
      id: 'the-id',
      ...keyOf('rl-contract'),
      ...values,
      activityKind: null,
      activityId: null,
      grading: 'none',
      scoreMaximum: null,
      createdAt: t,
      updatedAt: t,
    });
    await placements.bindActivity(
      platformId,
      'the-id',
      { kind: 'module', id: 'm', grading: 'completion' },
      t,
    );

    t += 60_000;
    const same = await placements.upsertFromLaunch(keyOf('rl-contract'), values, t, () => {
      throw new Error('no id is needed for a link that exists and did not change');
    });
    expect(same).toEqual(await placements.findByKey(keyOf('rl-contract')));
    expect(same.updatedAt).toBe(created.updatedAt);

    t += 60_000;
    const changed = { ...values, lineitemUrl: 'https://lms.example/ags/1/li/9', agsScopes: [] };
    const refreshed = await placements.upsertFromLaunch(keyOf('rl-contract'), changed, t, () => 'unused-id');
    expect(refreshed).toEqual({
      ...created,
      ...changed,
      activityKind: 'module',
      activityId: 'm',
      grading: 'completion',
      updatedAt: t,
    });
    expect(await placements.findByKey(keyOf('rl-contract'))).toEqual(refreshed);
  });

  it("upsertFromLaunch takes part in the caller's transaction", async () => {
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        const p = await placements.upsertFromLaunch(keyOf('rl-trx'), values, t, newId, trx);
        expect(await placements.findByKey(keyOf('rl-trx'), trx)).toEqual(p);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await placements.findByKey(keyOf('rl-trx'))).toBeUndefined();
  });
});
