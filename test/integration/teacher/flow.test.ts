import { createPlacementRepository } from '../../../src/db/repositories/placements';
import { currentChallenge, startOrResume, submitAnswer } from '../../../src/learning';
import { createTestDb, testDialects, type TestDb } from '../../support/databases';
import { startPlatform, USERS, type SimulatedPlatform, type SimUser } from '../../support/platform';
import { browse, contentBank, lsOf, postDeepLinkingForm, startTeacherTool, type TeacherTool } from './tool';

jest.setTimeout(120_000);

beforeAll(() => {
  contentBank();
});

/** Answers every challenge of the learner's attempt by skipping it, until the activity is done. */
async function finishBySkipping(tool: TeacherTool, platformId: string, userSub: string, placementId: string) {
  const learning = tool.services.learning!;
  const p = await learning.placements.findById(platformId, placementId);
  const scope = { platformId, userSub };
  const attempt = await startOrResume(learning, scope, p!, 'fr');
  for (let i = 0; i < 400; i++) {
    const state = await currentChallenge(learning, scope, attempt.id);
    if (state.kind !== 'challenge') return state.kind;
    await submitAnswer(learning, scope, attempt.id, { challengeId: state.challenge.id, skip: true });
  }
  throw new Error('the attempt never finished');
}

describe.each(testDialects())('teacher flow: deep link → launch → attempt → gradebook (%s)', (dialect) => {
  let db: TestDb;
  let sim: SimulatedPlatform;
  let tool: TeacherTool;

  beforeEach(async () => {
    db = await createTestDb(dialect);
    sim = await startPlatform();
    tool = await startTeacherTool(db);
  });
  afterEach(async () => {
    await tool.close();
    await sim.close();
    await db.drop();
  });

  async function deepLink(
    picks: Array<{ value: string; grading: string }>,
    settings: Record<string, unknown> = {},
  ) {
    const launch = await sim.loginAndLaunch(tool.url, USERS.instructor, {
      messageType: 'LtiDeepLinkingRequest',
      deepLinking: settings,
    });
    expect(launch.url).toContain('/teacher/catalogue?ls=');
    const form: Record<string, string | string[]> = { ls: lsOf(launch.url), pick: picks.map((p) => p.value) };
    for (const p of picks) form[`grading.${p.value}`] = p.grading;
    const page = await browse(launch.jar, `${tool.url}/teacher/catalogue`, form);
    return { launch, page };
  }

  it('returns a signed response the platform accepts, and the link launches bound to its activity and grading', async () => {
    const platform = await tool.register(sim);
    const { page } = await deepLink([
      { value: 'parcours:rentree-6e', grading: 'pix' },
      { value: 'module:mots-de-passe-solides', grading: 'completion' },
    ]);
    expect(page.status).toBe(200);
    const returned = await postDeepLinkingForm(page.body);
    expect(sim.deepLinkRejections).toEqual([]);
    expect(returned.status).toBe(200);
    const [response] = sim.deepLinkResponses;
    const items = response!['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Array<
      Record<string, unknown>
    >;
    const maxPix = tool.services.catalogue!().byValue.get('parcours:rentree-6e')!.maxPix;
    expect(maxPix).toBeGreaterThan(0);
    expect(items).toEqual([
      expect.objectContaining({
        type: 'ltiResourceLink',
        url: `${tool.url}/lti/launch`,
        custom: { activity: 'parcours:rentree-6e', grading: 'pix' },
        lineItem: expect.objectContaining({ scoreMaximum: maxPix, resourceId: 'parcours:rentree-6e' }),
      }),
      expect.objectContaining({
        custom: { activity: 'module:mots-de-passe-solides', grading: 'completion' },
        lineItem: expect.objectContaining({ scoreMaximum: 1 }),
      }),
    ]);
    expect(response!['https://purl.imsglobal.org/spec/lti-dl/claim/data']).toBe('opaque-data-123');

    // The learner launches the new link: the placement is bound to the activity, with its line item.
    const [linkId] = [...sim.resourceLinks.keys()];
    const learner = await sim.loginAndLaunch(tool.url, USERS.learner, { resourceLinkId: linkId });
    expect(learner.response.status).toBe(200);
    const placement = await createPlacementRepository(db).findByKey({
      platformId: platform.id,
      deploymentId: sim.deploymentId,
      resourceLinkId: linkId!,
    });
    expect(placement).toMatchObject({ activityKind: 'parcours', activityId: 'rentree-6e' });
    expect(placement!.lineitemUrl).toBe(sim.resourceLinks.get(linkId!)!.lineItemUrl);
  });

  it('sends only one item when the platform refuses several, and refuses a type it does not accept', async () => {
    await tool.register(sim);
    const { page } = await deepLink(
      [
        { value: 'parcours:rentree-6e', grading: 'mastery' },
        { value: 'module:mots-de-passe-solides', grading: 'completion' },
      ],
      { accept_multiple: false },
    );
    expect(page.status).toBe(303);
    expect(page.location).toContain('problem=multiple_refused');
    expect(sim.deepLinkResponses).toHaveLength(0);
  });

  it('a completed attempt puts the pix score in the simulated gradebook, visible on the dashboard', async () => {
    const platform = await tool.register(sim);
    const { page } = await deepLink([{ value: 'parcours:rentree-6e', grading: 'pix' }]);
    await postDeepLinkingForm(page.body);
    const [linkId] = [...sim.resourceLinks.keys()];
    const lineItemUrl = sim.resourceLinks.get(linkId!)!.lineItemUrl!;
    await sim.loginAndLaunch(tool.url, USERS.learner, { resourceLinkId: linkId });
    const placement = (await createPlacementRepository(db).findByKey({
      platformId: platform.id,
      deploymentId: sim.deploymentId,
      resourceLinkId: linkId!,
    }))!;
    expect(await finishBySkipping(tool, platform.id, USERS.learner.id, placement.id)).toBe('done');

    const report = await tool.worker().drain();
    expect(report.parked).toBe(0);
    const scores = sim.scoresFor(lineItemUrl).filter((s) => s.userId === USERS.learner.id);
    const final = scores.at(-1)!;
    const maxPix = tool.services.catalogue!().byValue.get('parcours:rentree-6e')!.maxPix;
    expect(final).toMatchObject({
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      scoreMaximum: maxPix,
      scoreGiven: 0,
    });

    // The teacher's launch of the same link opens the dashboard with the learner completed and sent.
    const teacher = await sim.loginAndLaunch(tool.url, USERS.instructor, { resourceLinkId: linkId });
    expect(teacher.url).toContain('/teacher/dashboard?ls=');
    expect(teacher.response.status).toBe(200);
    const row =
      new RegExp(`<tr data-learner="${USERS.learner.id}">([\\s\\S]*?)</tr>`).exec(teacher.body)?.[1] ?? '';
    expect(row).toContain('Léa Martin');
    expect(row).toContain('Terminé');
    expect(row).toContain('Envoyée');
    expect(row).toMatch(new RegExp(`0 / ${maxPix} pix`));
  });

  it('shows the roster (NRPS) in the dashboard, mentors only their learners, and learners nothing', async () => {
    await tool.register(sim);
    const teacher = await sim.loginAndLaunch(tool.url, USERS.instructor, {
      custom: { activity: 'parcours:rentree-6e' },
    });
    expect(teacher.url).toContain('/teacher/dashboard');
    for (const u of [USERS.learner, USERS.learner2]) expect(teacher.body).toContain(`data-learner="${u.id}"`);
    expect(teacher.body).not.toContain(`data-learner="${USERS.instructor.id}"`);

    const mentor = await sim.loginAndLaunch(tool.url, USERS.mentor as SimUser, {
      custom: { activity: 'parcours:rentree-6e' },
    });
    expect(mentor.url).toContain('/teacher/dashboard');
    expect(mentor.body).toContain(`data-learner="${USERS.learner.id}"`);
    expect(mentor.body).not.toContain(`data-learner="${USERS.learner2.id}"`);
    const ls = lsOf(mentor.url);
    const other = await browse(
      mentor.jar,
      `${tool.url}/teacher/detail?ls=${ls}&learner=${USERS.learner2.id}`,
    );
    expect(other.status).toBe(404);

    const learner = await sim.loginAndLaunch(tool.url, USERS.learner, {
      custom: { activity: 'parcours:rentree-6e' },
    });
    const forbidden = await browse(learner.jar, `${tool.url}/teacher/dashboard?ls=${lsOf(learner.url)}`);
    expect(forbidden.status).toBe(403);
    const csv = await browse(learner.jar, `${tool.url}/teacher/export.csv?ls=${lsOf(learner.url)}`);
    expect(csv.status).toBe(403);
  });

  it('shows an instructor only the class of the link they launched (another course sees nothing of it)', async () => {
    const platform = await tool.register(sim);
    await sim.loginAndLaunch(tool.url, USERS.learner, {
      custom: { activity: 'parcours:rentree-6e' },
      resourceLinkId: 'rl-a',
    });
    const learning = tool.services.learning!;
    const placement = (await learning.placements.findByKey({
      platformId: platform.id,
      deploymentId: sim.deploymentId,
      resourceLinkId: 'rl-a',
    }))!;
    await startOrResume(learning, { platformId: platform.id, userSub: USERS.learner.id }, placement, 'fr');
    const own = await sim.loginAndLaunch(tool.url, USERS.instructor, {
      custom: { activity: 'parcours:rentree-6e' },
      resourceLinkId: 'rl-a',
    });
    expect(/<tr data-learner="u-learner-1">([\s\S]*?)<\/tr>/.exec(own.body)?.[1]).toContain('En cours');
    const elsewhere = await sim.loginAndLaunch(tool.url, USERS.instructor, {
      custom: { activity: 'parcours:rentree-6e' },
      resourceLinkId: 'rl-b',
      contextId: 'course-2',
    });
    expect(/<tr data-learner="u-learner-1">([\s\S]*?)<\/tr>/.exec(elsewhere.body)?.[1]).toContain(
      'Pas commencé',
    );
  });

  it('resends grades with the teacher button, only with the launch token in the form', async () => {
    const platform = await tool.register(sim);
    const { page } = await deepLink([{ value: 'module:mots-de-passe-solides', grading: 'completion' }]);
    await postDeepLinkingForm(page.body);
    const [linkId] = [...sim.resourceLinks.keys()];
    await sim.loginAndLaunch(tool.url, USERS.learner, { resourceLinkId: linkId });
    const learning = tool.services.learning!;
    const placement = (await learning.placements.findByKey({
      platformId: platform.id,
      deploymentId: sim.deploymentId,
      resourceLinkId: linkId!,
    }))!;
    await startOrResume(learning, { platformId: platform.id, userSub: USERS.learner.id }, placement, 'fr');
    await tool.worker().drain();
    const teacher = await sim.loginAndLaunch(tool.url, USERS.instructor, { resourceLinkId: linkId });
    const ls = lsOf(teacher.url);
    const forged = await browse(teacher.jar, `${tool.url}/teacher/grades/resync`, { ls: 'not-the-token' });
    expect(forged.status).toBe(401);
    const noToken = await browse(teacher.jar, `${tool.url}/teacher/grades/resync`, {});
    expect(noToken.status).toBe(403);
    const before = (await tool.services.grades.outbox.counts()).pending;
    const ok = await browse(teacher.jar, `${tool.url}/teacher/grades/resync`, { ls });
    expect(ok.status).toBe(303);
    expect(ok.location).toContain('notice=resync_ok');
    expect((await tool.services.grades.outbox.counts()).pending).toBe(before + 1);
  });

  it('never shows one platform the data of another, even for the same course and link ids', async () => {
    await tool.register(sim);
    const other = await startPlatform({ clientId: 'other-client' });
    try {
      await tool.register(other);
      // A learner of the first platform starts the activity.
      await sim.loginAndLaunch(tool.url, USERS.learner, { custom: { activity: 'parcours:rentree-6e' } });
      const learning = tool.services.learning!;
      const platforms = await tool.services.platforms.list();
      const first = platforms.find((p) => p.clientId === sim.clientId)!;
      const placement = (await learning.placements.findByKey({
        platformId: first.id,
        deploymentId: sim.deploymentId,
        resourceLinkId: 'rl-1',
      }))!;
      await startOrResume(learning, { platformId: first.id, userSub: USERS.learner.id }, placement, 'fr');
      // The other platform's teacher, same course id and same resource link id.
      const teacher = await other.loginAndLaunch(tool.url, USERS.instructor, {
        custom: { activity: 'parcours:rentree-6e' },
      });
      expect(teacher.url).toContain('/teacher/dashboard');
      const row = /<tr data-learner="u-learner-1">([\s\S]*?)<\/tr>/.exec(teacher.body)?.[1] ?? '';
      expect(row).toContain('Pas commencé');
      const csv = await browse(teacher.jar, `${tool.url}/teacher/export.csv?ls=${lsOf(teacher.url)}`);
      expect(csv.body).not.toContain('En cours');
    } finally {
      await other.close();
    }
  });

  it('exports CSV that opens cleanly in spreadsheets: BOM, quoted fields, formulas neutralised', async () => {
    await tool.register(sim);
    const evil: SimUser = {
      id: 'u-evil',
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      name: '=HYPERLINK("http://x","clic")',
      nrpsRoles: ['Learner'],
    };
    await sim.loginAndLaunch(tool.url, evil, { custom: { activity: 'parcours:rentree-6e' } });
    const teacher = await sim.loginAndLaunch(tool.url, USERS.instructor, {
      custom: { activity: 'parcours:rentree-6e' },
    });
    const ls = lsOf(teacher.url);
    const learning = tool.services.learning!;
    const placement = (await learning.placements.findByKey({
      platformId: (await tool.services.platforms.list())[0]!.id,
      deploymentId: sim.deploymentId,
      resourceLinkId: 'rl-1',
    }))!;
    await startOrResume(learning, { platformId: placement.platformId, userSub: 'u-evil' }, placement, 'fr');
    const res = await fetch(`${tool.url}/teacher/export.csv?ls=${ls}&sep=semicolon`);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(/^"Nom";"Identifiant";"État"/);
    const evilLine = lines.find((l) => l.includes('u-evil'))!;
    expect(evilLine.startsWith(`"'=HYPERLINK(""http://x"",""clic"")";"u-evil";"En cours"`)).toBe(true);
  });
});
