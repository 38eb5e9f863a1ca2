import { createLaunchSessionRepository } from '../../../src/db/repositories/launch-sessions';
import { createTestDb, testDialects, type TestDb } from '../../support/databases';
import { acceptedScores, deliverAll, startGradeHarness, type GradeHarness } from './harness';

const learners = (n: number) => Array.from({ length: n }, (_, i) => `gen-${i + 1}`);
const result = (mastery: number) => ({ pix: Math.round(mastery * 40), maxPix: 40, mastery, completed: true });

describe.each(testDialects())('AGS score delivery through the outbox (%s)', (dialect) => {
  let db: TestDb;
  let h: GradeHarness;

  beforeEach(async () => {
    db = await createTestDb(dialect);
    h = await startGradeHarness(db);
  });
  afterEach(async () => {
    await h.close();
    await db.drop();
  });

  it('sends started, then the completed score with FullyGraded, an explicit maximum and a submission', async () => {
    const placement = await h.placement({ grading: 'mastery' });
    const worker = h.worker('w1');
    await h.emit({ type: 'started', userSub: 'gen-1', placementId: placement.id });
    await worker.drain();
    h.clock.advance(65_000);
    await h.emit({ type: 'completed', userSub: 'gen-1', placementId: placement.id, result: result(0.625) });
    await worker.drain();

    const scores = acceptedScores(h.sim, placement.lineitemUrl!, 'gen-1');
    expect(scores).toHaveLength(2);
    expect(scores[0]).toMatchObject({
      activityProgress: 'Started',
      gradingProgress: 'NotReady',
      scoreMaximum: 100,
    });
    expect(scores[0]).not.toHaveProperty('scoreGiven');
    expect(scores[1]).toMatchObject({
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      scoreGiven: 62.5,
      scoreMaximum: 100,
    });
    expect(String(scores[1]!.timestamp)).toMatch(/T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const submission = scores[1]!.submission as { startedAt?: string; submittedAt: string };
    expect(Date.parse(submission.submittedAt)).toBe(Date.parse(String(scores[1]!.timestamp)));
    expect(await h.grades.outbox.counts()).toMatchObject({ pending: 0, delivered: 2, parked: 0 });
  });

  it('grades pix out of the target profile maximum and completion out of 1', async () => {
    const pix = await h.placement({ grading: 'pix' });
    const completion = await h.placement({ grading: 'completion' });
    await h.emit({ type: 'completed', userSub: 'gen-1', placementId: pix.id, result: result(0.5) });
    await h.emit({ type: 'completed', userSub: 'gen-1', placementId: completion.id, result: result(0.5) });
    await h.worker('w1').drain();
    expect(acceptedScores(h.sim, pix.lineitemUrl!, 'gen-1')[0]).toMatchObject({
      scoreGiven: 20,
      scoreMaximum: 40,
    });
    expect(acceptedScores(h.sim, completion.lineitemUrl!, 'gen-1')[0]).toMatchObject({
      scoreGiven: 1,
      scoreMaximum: 1,
    });
  });

  it('coalesces: a newer undelivered score supersedes the older one of the same learner', async () => {
    const placement = await h.placement();
    await h.emit({ type: 'started', userSub: 'gen-1', placementId: placement.id });
    h.clock.advance(10);
    await h.emit({ type: 'progressed', userSub: 'gen-1', placementId: placement.id });
    h.clock.advance(10);
    await h.emit({ type: 'completed', userSub: 'gen-1', placementId: placement.id, result: result(1) });
    await h.emit({ type: 'started', userSub: 'gen-2', placementId: placement.id });
    await h.worker('w1').drain();

    expect(acceptedScores(h.sim, placement.lineitemUrl!, 'gen-1')).toEqual([
      expect.objectContaining({ gradingProgress: 'FullyGraded', scoreGiven: 100 }),
    ]);
    expect(acceptedScores(h.sim, placement.lineitemUrl!, 'gen-2')).toHaveLength(1);
    expect(await h.grades.outbox.counts()).toMatchObject({ delivered: 2, superseded: 2, pending: 0 });
  });

  it('never sends two scores for one learner within the same second: it waits for the next second', async () => {
    const placement = await h.placement();
    const worker = h.worker('w1');
    h.clock.set(Math.floor(h.clock.now() / 1000) * 1000 + 100);
    await h.emit({ type: 'started', userSub: 'gen-1', placementId: placement.id });
    await worker.drain();
    h.clock.advance(300);
    await h.emit({ type: 'completed', userSub: 'gen-1', placementId: placement.id, result: result(0.8) });
    const first = await worker.runOnce();
    expect(first).toMatchObject({ claimed: 1, later: 1, delivered: 0 });
    expect(acceptedScores(h.sim, placement.lineitemUrl!, 'gen-1')).toHaveLength(1);

    h.clock.advance(1_100);
    await worker.drain();
    const scores = acceptedScores(h.sim, placement.lineitemUrl!, 'gen-1');
    expect(scores).toHaveLength(2);
    const [a, b] = scores.map((s) => Math.floor(Date.parse(String(s.timestamp)) / 1000));
    expect(b!).toBeGreaterThan(a!);
    expect(h.sim.scoreConflicts).toBe(0);
  });

  it('answers a 409 by retrying with a newer timestamp, never parking the row', async () => {
    const placement = await h.placement();
    // The gradebook already holds a score stamped a little ahead of our clock (another tool, a skew).
    const ahead = h.clock.now() + 2_500;
    h.sim.scores.push({
      lineItemId: /\/lineitems\/(\d+)\//.exec(placement.lineitemUrl!)![1]!,
      body: {
        userId: 'gen-1',
        timestamp: new Date(ahead).toISOString(),
        activityProgress: 'Started',
        gradingProgress: 'NotReady',
      },
      receivedAt: Date.now(),
      url: placement.lineitemUrl!,
    });
    await h.emit({ type: 'completed', userSub: 'gen-1', placementId: placement.id, result: result(0.5) });
    const worker = h.worker('w1');
    const rounds = await deliverAll(h, [worker], { stepMs: 700 });
    expect(rounds).toBeGreaterThan(0);
    expect(h.sim.scoreConflicts).toBeGreaterThanOrEqual(1);
    const scores = acceptedScores(h.sim, placement.lineitemUrl!, 'gen-1');
    expect(scores.at(-1)).toMatchObject({ gradingProgress: 'FullyGraded', scoreGiven: 50 });
    expect(Math.floor(Date.parse(String(scores.at(-1)!.timestamp)) / 1000)).toBeGreaterThan(
      Math.floor(ahead / 1000),
    );
    expect(await h.grades.outbox.counts()).toMatchObject({ delivered: 1, parked: 0 });
  });

  it('parks a score the platform refuses for good (4xx) with the platform message', async () => {
    const placement = await h.placement();
    // Not enrolled: Moodle answers 400.
    await h.emit({ type: 'completed', userSub: 'stranger-9', placementId: placement.id, result: result(1) });
    const report = await h.worker('w1').drain();
    expect(report).toMatchObject({ parked: 1, delivered: 0 });
    const [row] = await h.grades.outbox.listByKeyPrefix(h.platform.id, `ags:${placement.id}:`);
    expect(row).toMatchObject({ status: 'parked' });
    expect(row!.lastError).toContain('not a learner');
  });

  it('writes nothing for a teacher (staff roles in the roster)', async () => {
    const placement = await h.placement();
    await db.kysely
      .insertInto('memberships')
      .values({
        platform_id: h.platform.id,
        context_id: 'course-1',
        user_sub: 'u-teacher-1',
        roles: JSON.stringify(['Instructor']),
        status: 'Active',
        name: 'Claire Dubois',
        given_name: null,
        family_name: null,
        email: null,
        fetched_at: h.clock.now(),
      })
      .execute();
    await h.emit({ type: 'completed', userSub: 'u-teacher-1', placementId: placement.id, result: result(1) });
    expect(await h.grades.outbox.counts()).toMatchObject({ pending: 0, delivered: 0 });
  });

  it("reads the learner's latest launch of the link: its grading choice wins, and staff roles there mean no score", async () => {
    const placement = await h.placement({ grading: 'mastery' });
    const sessions = createLaunchSessionRepository(db, h.clock, { ttlMs: 3_600_000 });
    const launchAs = (userSub: string, roles: string[], custom: Record<string, string>) =>
      sessions.create({
        platformId: h.platform.id,
        deploymentId: placement.deploymentId,
        userSub,
        contextId: placement.contextId,
        resourceLinkId: placement.resourceLinkId,
        messageType: 'LtiResourceLinkRequest',
        roles,
        locale: 'fr',
        launch: { custom },
      });
    const learner = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
    await launchAs('gen-1', [learner], { grading: 'completion' });
    h.clock.advance(1_000);
    // The newest launch counts: pix now, out of the result's maximum.
    await launchAs('gen-1', [learner], { grading: 'pix' });
    // No roster entry for this teacher: the roles of the launch decide.
    await launchAs('u-teacher-2', ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], {});
    await h.emit({ type: 'completed', userSub: 'gen-1', placementId: placement.id, result: result(0.5) });
    await h.emit({ type: 'completed', userSub: 'u-teacher-2', placementId: placement.id, result: result(1) });
    await h.worker('w1').drain();
    expect(acceptedScores(h.sim, placement.lineitemUrl!, 'gen-1')).toEqual([
      expect.objectContaining({ scoreGiven: 20, scoreMaximum: 40 }),
    ]);
    expect(acceptedScores(h.sim, placement.lineitemUrl!, 'u-teacher-2')).toEqual([]);
    expect(await h.grades.outbox.counts()).toMatchObject({ pending: 0, delivered: 1 });
  });

  it("reads only this link's launches and this course's roster: the roster's Learner role wins over a launch's", async () => {
    const placement = await h.placement({ grading: 'mastery' });
    const sessions = createLaunchSessionRepository(db, h.clock, { ttlMs: 3_600_000 });
    const instructor = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
    const launch = (resourceLinkId: string, contextId: string, custom: Record<string, string>) =>
      sessions.create({
        platformId: h.platform.id,
        deploymentId: placement.deploymentId,
        userSub: 'gen-7',
        contextId,
        resourceLinkId,
        messageType: 'LtiResourceLinkRequest',
        roles: [instructor],
        locale: 'fr',
        launch: { custom },
      });
    const member = (contextId: string, roles: string[]) =>
      db.kysely
        .insertInto('memberships')
        .values({
          platform_id: h.platform.id,
          context_id: contextId,
          user_sub: 'gen-7',
          roles: JSON.stringify(roles),
          status: 'Active',
          name: 'Inès Martin',
          given_name: null,
          family_name: null,
          email: null,
          fetched_at: h.clock.now(),
        })
        .execute();
    await launch(placement.resourceLinkId, placement.contextId!, { grading: 'pix' });
    h.clock.advance(1_000);
    // Newer, but another link of another course: neither its grading nor its roles count here.
    await launch('rl-elsewhere', 'course-2', { grading: 'completion' });
    await member(placement.contextId!, ['Learner']);
    await member('course-2', ['Instructor']);
    await h.emit({ type: 'completed', userSub: 'gen-7', placementId: placement.id, result: result(0.5) });
    await h.worker('w1').drain();
    expect(acceptedScores(h.sim, placement.lineitemUrl!, 'gen-7')).toEqual([
      expect.objectContaining({ scoreGiven: 20, scoreMaximum: 40 }),
    ]);
  });

  it('finds the line item of the resource link, or creates exactly one, when the launch gave only the container', async () => {
    const existing = await h.placement({ withLineItem: false, resourceLinkId: 'rl-existing' });
    const column = h.sim.addLineItem('course-1', {
      label: 'Déjà là',
      scoreMaximum: 100,
      resourceLinkId: 'rl-existing',
    });
    const fresh = await h.placement({ withLineItem: false, resourceLinkId: 'rl-fresh' });
    for (const user of learners(6)) {
      await h.emit({ type: 'completed', userSub: user, placementId: existing.id, result: result(0.5) });
      await h.emit({ type: 'completed', userSub: user, placementId: fresh.id, result: result(0.5) });
    }
    const before = h.sim.lineItems.size;
    await h.worker('w1', { concurrency: 6 }).drain();
    expect(acceptedScores(h.sim, column, 'gen-3')).toHaveLength(1);
    const created = [...h.sim.lineItems.values()].filter((i) => i.body.resourceLinkId === 'rl-fresh');
    expect(created).toHaveLength(1);
    expect(h.sim.lineItems.size).toBe(before + 1);
    expect(created[0]!.body).toMatchObject({ scoreMaximum: 100, label: 'Évaluation' });
    for (const user of learners(6))
      expect(acceptedScores(h.sim, String(created[0]!.body.id), user)).toHaveLength(1);
  });

  it('rides out an outage (500s, then timeouts) with backoff and delivers every final score once', async () => {
    const placement = await h.placement();
    const users = learners(12);
    h.sim.setOutage('scores', { status: 500 });
    for (const u of users) await h.emit({ type: 'started', userSub: u, placementId: placement.id });
    const worker = h.worker('w1', { concurrency: 4 });
    await worker.runOnce();
    h.clock.advance(2_000);
    h.sim.setOutage('scores', { hangMs: 5_000 });
    for (const u of users)
      await h.emit({ type: 'completed', userSub: u, placementId: placement.id, result: result(0.75) });
    await worker.runOnce(); // every call times out (2 s client timeout)
    expect(h.sim.outageHits.get('scores')).toBeGreaterThanOrEqual(users.length);
    const during = await h.grades.outbox.counts();
    expect(during).toMatchObject({ delivered: 0, parked: 0 });

    h.sim.setOutage('scores', null);
    await deliverAll(h, [worker], { stepMs: 2_000 });
    for (const u of users) {
      const accepted = acceptedScores(h.sim, placement.lineitemUrl!, u);
      expect(accepted.filter((s) => s.gradingProgress === 'FullyGraded')).toHaveLength(1);
      expect(accepted.at(-1)).toMatchObject({ scoreGiven: 75 });
    }
    expect(await h.grades.outbox.counts()).toMatchObject({ pending: 0, parked: 0, delivered: users.length });
  }, 60_000);

  it('honours Retry-After on 429', async () => {
    const placement = await h.placement();
    h.sim.failNext('scores', 429, { 'Retry-After': '30' });
    await h.emit({ type: 'completed', userSub: 'gen-1', placementId: placement.id, result: result(1) });
    const worker = h.worker('w1');
    expect(await worker.runOnce()).toMatchObject({ retried: 1 });
    const [row] = await h.grades.outbox.listByKeyPrefix(h.platform.id, `ags:${placement.id}:`);
    expect(row!.nextAttemptAt - h.clock.now()).toBeGreaterThanOrEqual(30_000);
    h.clock.advance(29_000);
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
    h.clock.advance(2_000);
    expect(await worker.runOnce()).toMatchObject({ delivered: 1 });
  });

  it('loses nothing when a worker dies holding rows: another delivers them once its lease expires', async () => {
    const placement = await h.placement();
    const users = learners(8);
    for (const u of users)
      await h.emit({ type: 'completed', userSub: u, placementId: placement.id, result: result(0.5) });
    // The doomed worker claims everything, then "is killed" before delivering.
    const claimed = await h.grades.outbox.claim({
      workerId: 'doomed',
      now: h.clock.now(),
      leaseMs: 60_000,
      limit: 100,
    });
    expect(claimed).toHaveLength(users.length);
    const survivor = h.worker('survivor', { leaseMs: 60_000 });
    expect(await survivor.runOnce()).toMatchObject({ claimed: 0 });

    h.clock.advance(61_000);
    expect(await survivor.drain()).toMatchObject({ delivered: users.length });
    // The doomed worker coming back to life settles nothing: its lease is gone.
    expect(await h.grades.outbox.markDelivered(claimed[0]!, 'doomed', h.clock.now())).toBe(false);
    for (const u of users) expect(acceptedScores(h.sim, placement.lineitemUrl!, u)).toHaveLength(1);
  });

  it('claims at most its limit, whatever plan the database picks, and the next claim the rest', async () => {
    const placement = await h.placement();
    const users = learners(30);
    for (const u of users)
      await h.emit({ type: 'completed', userSub: u, placementId: placement.id, result: result(0.5) });
    const claim = (workerId: string) =>
      h.grades.outbox.claim({ workerId, now: h.clock.now(), leaseMs: 60_000, limit: 4 });
    const first = await claim('one');
    const second = await claim('two');
    expect(first).toHaveLength(4);
    expect(second).toHaveLength(4);
    expect(new Set([...first, ...second].map((r) => r.id)).size).toBe(8);
  });

  it('lets a score written while an older one is in flight wait, then sends only the newest', async () => {
    const placement = await h.placement();
    await h.emit({ type: 'started', userSub: 'gen-1', placementId: placement.id });
    const [inFlight] = await h.grades.outbox.claim({
      workerId: 'slow',
      now: h.clock.now(),
      leaseMs: 60_000,
      limit: 10,
    });
    h.clock.advance(1_500);
    await h.emit({ type: 'completed', userSub: 'gen-1', placementId: placement.id, result: result(1) });
    const other = h.worker('other');
    expect(await other.runOnce()).toMatchObject({ claimed: 0 });
    // The slow worker fails its delivery: its row is superseded by the newer one, not retried.
    expect(
      await h.grades.outbox.reschedule(inFlight!, 'slow', {
        now: h.clock.now(),
        nextAttemptAt: h.clock.now(),
        error: 'x',
        countTry: true,
      }),
    ).toBe('superseded');
    expect(await other.drain()).toMatchObject({ delivered: 1 });
    expect(acceptedScores(h.sim, placement.lineitemUrl!, 'gen-1')).toEqual([
      expect.objectContaining({ gradingProgress: 'FullyGraded' }),
    ]);
  });

  it('runs two workers at once without delivering anything twice', async () => {
    const placement = await h.placement();
    const users = learners(40);
    for (const u of users)
      await h.emit({ type: 'completed', userSub: u, placementId: placement.id, result: result(0.5) });
    const a = h.worker('a', { batchSize: 5, concurrency: 3 });
    const b = h.worker('b', { batchSize: 5, concurrency: 3 });
    const [ra, rb] = await Promise.all([a.drain(), b.drain()]);
    expect(ra.delivered + rb.delivered).toBe(users.length);
    if (dialect === 'postgres') {
      // Both took part: SKIP LOCKED gave each its own rows.
      expect(ra.delivered).toBeGreaterThan(0);
      expect(rb.delivered).toBeGreaterThan(0);
    }
    for (const u of users) expect(acceptedScores(h.sim, placement.lineitemUrl!, u)).toHaveLength(1);
    expect(h.sim.scores).toHaveLength(users.length);
  });

  it('resends the latest score of every learner of a placement (resync)', async () => {
    const placement = await h.placement();
    for (const u of learners(3))
      await h.emit({ type: 'completed', userSub: u, placementId: placement.id, result: result(0.25) });
    const worker = h.worker('w1');
    await worker.drain();
    h.clock.advance(5_000);
    expect(await h.grades.resync(h.platform.id, placement.id)).toEqual({ requeued: 3 });
    await worker.drain();
    for (const u of learners(3)) {
      const s = acceptedScores(h.sim, placement.lineitemUrl!, u);
      expect(s).toHaveLength(2);
      expect(s[1]).toMatchObject({ scoreGiven: 25, gradingProgress: 'FullyGraded' });
    }
  });
});
