import { sql } from 'kysely';
import type { Launch } from '../../../lti';
import { createPlatformRepository } from '../../../src/db/repositories/platforms';
import { chooseActivity, createLearningDeps, type LearningDeps } from '../../../src/learning';
import { learnerLaunchRoute } from '../../../src/web/learner/launch-route';
import { testContent } from '../../support/app';
import { createTestDb, testDialects, type TestDb } from '../../support/databases';
import { counterRandom, manualClock } from './harness';

/**
 * What a resource-link launch costs the database in the learner experience, beyond the LTI core: the
 * placement and the learner's names are written when the LMS changed them, and only then.
 */

const SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
];
const LEARNER = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'];
const INSTRUCTOR = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'];

/** "select placements", "insert learners", …: the verb and table of each statement run. */
const kindOf = (text: string) => {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
  const table = /\b(?:from|into|update)\s+"?(\w+)"?/i.exec(text)?.[1] ?? '?';
  return `${verb} ${table}`;
};

describe.each(testDialects())('the database writes of a launch on %s', (dialect) => {
  let db: TestDb;
  let deps: LearningDeps;
  let platformId: string;
  const clock = manualClock();
  const recorded: string[] = [];
  let recording = false;

  beforeAll(async () => {
    db = await createTestDb(dialect, {
      log: (event) => {
        if (recording && event.level === 'query') recorded.push(event.query.sql);
      },
    });
    platformId = (
      await createPlatformRepository(db, clock).add({
        issuer: 'https://moodle.test',
        clientId: 'c',
        name: 'Moodle',
        authEndpoint: 'https://moodle.test/auth',
        jwksUri: 'https://moodle.test/certs',
        status: 'active',
        source: 'manual',
        deploymentIds: ['1'],
      })
    ).id;
    deps = createLearningDeps({ db, bank: testContent(), clock, sinks: [], random: counterRandom() });
  }, 60_000);
  afterAll(() => db.drop());

  /** A verified resource-link launch of `rl-1` by the learner `ana`, with `over` changed. */
  const launchOf = (over: Partial<Launch> = {}): Launch => ({
    platformId,
    issuer: 'https://moodle.test',
    clientId: 'c',
    deploymentId: '1',
    messageType: 'LtiResourceLinkRequest',
    sub: 'ana',
    name: 'Ana Lima',
    givenName: 'Ana',
    familyName: 'Lima',
    email: 'ana@school.test',
    roles: LEARNER,
    view: 'learner',
    roleScopeMentor: [],
    targetLinkUri: 'https://tool.test/lti/launch',
    context: { id: 'course-1', title: 'Classe de 6e B' },
    resourceLink: { id: 'rl-1', title: 'Rentrée' },
    custom: {},
    locale: 'fr',
    ags: {
      scope: SCOPES,
      lineitems: 'https://moodle.test/ags/1/lineitems',
      lineitem: 'https://moodle.test/ags/1/li/7',
    },
    nrps: { context_memberships_url: 'https://moodle.test/nrps/1', service_versions: ['2.0'] },
    nonce: 'n',
    issuedAt: 0,
    expiresAt: 0,
    ...over,
  });

  /** How many rows were written to placements and learners so far (row versions on PostgreSQL). */
  async function writesSoFar(): Promise<string> {
    if (dialect === 'sqlite') {
      return String((await sql<{ n: number }>`select total_changes() as n`.execute(db.kysely)).rows[0]!.n);
    }
    const { rows } = await sql<{ v: string | null }>`
      select (select string_agg(id || ':' || xmin::text, ',' order by id) from placements)
          || '|' || coalesce((select string_agg(sub || ':' || xmin::text, ',' order by sub) from learners), '')
        as v`.execute(db.kysely);
    return rows[0]!.v ?? '';
  }

  /**
   * Runs one launch through the learner route, a second after the previous one: where it sends the
   * user, the statements it ran, whether it wrote a row.
   */
  async function launch(l: Launch) {
    clock.advance(1_000);
    const before = await writesSoFar();
    recorded.length = 0;
    recording = true;
    let to: string;
    try {
      to = await learnerLaunchRoute(deps, () => 'fallback')(l, 'token');
    } finally {
      recording = false;
    }
    return { to, statements: recorded.map(kindOf), wrote: (await writesSoFar()) !== before };
  }

  const placementOf = (resourceLinkId: string) =>
    deps.placements.findByKey({ platformId, deploymentId: '1', resourceLinkId });
  const learnerOf = (sub: string) => deps.learners.find(platformId, sub);

  it('a second identical launch reads the placement, writes nothing and still sends the learner on', async () => {
    const first = await launch(launchOf({ custom: { activity: 'rentree-6e' } }));
    // A new link: read, create, bind custom activity=, re-read; a new learner: read, insert.
    expect(first.statements).toEqual([
      'select placements',
      'insert placements',
      'update placements',
      'select placements',
      'select learners',
      'insert learners',
    ]);
    expect(first.wrote).toBe(true);
    const placement = await placementOf('rl-1');
    const learner = await learnerOf('ana');

    clock.advance(60_000);
    const again = await launch(launchOf({ custom: { activity: 'rentree-6e' } }));
    expect(again.to).toBe('/learn?ls=token');
    // Nothing changed: two reads, no write and no lock.
    expect(again.statements).toEqual(['select placements', 'select learners']);
    expect(again.wrote).toBe(false);
    expect(await placementOf('rl-1')).toEqual(placement);
    expect(await learnerOf('ana')).toEqual(learner);
  });

  it('the rest of the class launching the same link writes only each new learner, once', async () => {
    await launch(launchOf({ resourceLink: { id: 'rl-class', title: 'Rentrée' } }));
    for (const sub of ['ben', 'chloe']) {
      const l = launchOf({ resourceLink: { id: 'rl-class', title: 'Rentrée' }, sub, name: sub });
      const first = await launch(l);
      expect(first.statements).toEqual(['select placements', 'select learners', 'insert learners']);
      expect(first.wrote).toBe(true);
      expect((await learnerOf(sub))?.name).toBe(sub);
      expect(await launch(l)).toMatchObject({ wrote: false });
    }
  });

  it.each<[string, Partial<Launch>]>([
    ['the link title', { resourceLink: { id: 'rl-changes', title: 'Rentrée (corrigée)' } }],
    ['the course title', { context: { id: 'course-1', title: 'Classe de 6e C' } }],
    ['the line item', { ags: { scope: SCOPES, lineitem: 'https://moodle.test/ags/1/li/8' } }],
    ['the AGS scopes', { ags: { scope: SCOPES.slice(0, 1), lineitem: 'https://moodle.test/ags/1/li/8' } }],
    [
      'the roster URL',
      { nrps: { context_memberships_url: 'https://moodle.test/nrps/2', service_versions: [] } },
    ],
  ])(
    'a change of %s is written in one statement, keeping the row and its activity',
    async (_what, change) => {
      const link = { resourceLink: { id: 'rl-changes', title: 'Rentrée' } };
      await launch(launchOf({ ...link, custom: { activity: 'module:mots-de-passe-solides' } }));
      const before = (await placementOf('rl-changes'))!;

      clock.advance(60_000);
      const changed = launchOf({ ...link, ...change, custom: { activity: 'module:mots-de-passe-solides' } });
      const r = await launch(changed);
      expect(r.statements).toEqual(['select placements', 'insert placements', 'select learners']);
      const after = (await placementOf('rl-changes'))!;
      expect(after).toMatchObject({
        id: before.id,
        createdAt: before.createdAt,
        updatedAt: clock.now(),
        activityKind: 'module',
        activityId: 'mots-de-passe-solides',
        grading: 'completion',
        title: changed.resourceLink!.title,
        contextTitle: changed.context!.title,
        lineitemUrl: changed.ags!.lineitem,
        lineitemsUrl: changed.ags!.lineitems ?? null,
        agsScopes: changed.ags!.scope,
        nrpsUrl: changed.nrps!.context_memberships_url,
      });
      // And the changed values are now the steady state.
      expect(await launch(changed)).toMatchObject({ wrote: false });
    },
  );

  it("a learner's changed names are written; the same names, absent ones included, are not", async () => {
    const l = launchOf({
      resourceLink: { id: 'rl-names' },
      sub: 'dina',
      name: 'Dina',
      email: 'd@school.test',
    });
    await launch(l);
    const created = (await learnerOf('dina'))!;

    clock.advance(60_000);
    const renamed = await launch({ ...l, name: 'Dina Haddad' });
    expect(renamed.wrote).toBe(true);
    expect(await learnerOf('dina')).toMatchObject({ name: 'Dina Haddad', updated_at: clock.now() });

    // An email the LMS no longer sends is cleared (NULL differs from a value)…
    clock.advance(60_000);
    const { email: _dropped, ...withoutEmail } = { ...l, name: 'Dina Haddad' };
    expect(await launch(withoutEmail)).toMatchObject({ wrote: true });
    const cleared = (await learnerOf('dina'))!;
    expect(cleared).toMatchObject({ email: null, updated_at: clock.now() });
    expect(cleared.updated_at).toBeGreaterThan(Number(created.updated_at));

    // …and NULL again is no change: updated_at is when the names last changed, not the last launch.
    clock.advance(60_000);
    expect(await launch(withoutEmail)).toMatchObject({ wrote: false });
    expect(await learnerOf('dina')).toEqual(cleared);

    clock.advance(60_000);
    expect(await launch({ ...withoutEmail, locale: 'en' })).toMatchObject({ wrote: true });
    expect((await learnerOf('dina'))?.locale).toBe('en');
  });

  it('the deep-linking grading binds the link, a new grading rebinds it, and the same one writes nothing', async () => {
    const link = { resourceLink: { id: 'rl-graded' }, custom: { activity: 'rentree-3e', grading: 'pix' } };
    await launch(launchOf(link));
    expect(await placementOf('rl-graded')).toMatchObject({ activityId: 'rentree-3e', grading: 'pix' });
    expect(await launch(launchOf(link))).toMatchObject({ wrote: false });

    const regraded = await launch(launchOf({ ...link, custom: { ...link.custom, grading: 'completion' } }));
    // The placement's launch values are unchanged: only the binding is written, then read back.
    expect(regraded.statements).toEqual([
      'select placements',
      'update placements',
      'select placements',
      'select learners',
    ]);
    expect(await placementOf('rl-graded')).toMatchObject({ activityId: 'rentree-3e', grading: 'completion' });
  });

  it("the instructor's choice binds an unconfigured link; its next launches write nothing", async () => {
    const teacher = launchOf({
      resourceLink: { id: 'rl-choice' },
      sub: 'prof',
      roles: INSTRUCTOR,
      view: 'staff',
    });
    expect((await launch(teacher)).to).toBe('/learn/choose?ls=token');
    const unbound = (await placementOf('rl-choice'))!;
    expect(unbound.activityKind).toBeNull();

    const chosen = await chooseActivity(
      { placements: deps.placements, bank: deps.bank, clock, newId: deps.random.id },
      platformId,
      unbound.id,
      'module:mots-de-passe-solides',
    );
    expect(chosen).toMatchObject({
      activityKind: 'module',
      activityId: 'mots-de-passe-solides',
      grading: 'completion',
    });

    const staffAgain = await launch(teacher);
    expect(staffAgain).toMatchObject({ to: 'fallback', wrote: false });
    const pupil = await launch(launchOf({ resourceLink: { id: 'rl-choice' }, sub: 'eli' }));
    expect(pupil.to).toBe('/learn?ls=token');
    expect(pupil.statements).toEqual(['select placements', 'select learners', 'insert learners']);
    expect(await placementOf('rl-choice')).toEqual(chosen);
  });
});
