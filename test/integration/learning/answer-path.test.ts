import { testContent } from '../../support/app';
import { testDialects } from '../../support/databases';
import { USERS, type SimUser } from '../../support/platform';
import { challengeIdOf, startHarness, wrongAnswer, type Harness } from './harness';

const PARCOURS = 'rentree-6e';
const learnerNamed = (id: string): SimUser => ({ ...USERS.learner, id, name: `Élève ${id}` });

// The answer path reads the attempt once, locked, inside the answer's transaction, and hands the
// attempt's start to the event sinks so that they need not read it back.
describe.each(testDialects())('answer path on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  }, 60_000);
  afterAll(() => h.close());

  async function attemptOf(userSub: string) {
    return h.services
      .learning!.attempts.db.selectFrom('attempts')
      .selectAll()
      .where('user_sub', '=', userSub)
      .executeTakeFirstOrThrow();
  }

  it('an answer before any attempt stores nothing and sends the learner to the start page', async () => {
    const user = learnerNamed('path-none');
    const launch = await h.launch(user, { activity: PARCOURS, resourceLinkId: 'rl-path-none' });
    const res = await h.post('/learn/answer', launch.ls, { challengeId: 'anything', skip: '1' });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/learn\?/);
    const attempts = await h.services
      .learning!.attempts.db.selectFrom('attempts')
      .select('id')
      .where('user_sub', '=', user.id!)
      .execute();
    expect(attempts).toEqual([]);
  });

  it("stores the answer on the learner's latest attempt and tells the sinks when that attempt started", async () => {
    const user = learnerNamed('path-event');
    const launch = await h.launch(user, { activity: PARCOURS, resourceLinkId: 'rl-path-event' });
    await h.post('/learn/start', launch.ls, {});
    h.clock.advance(42_000);
    const page = await h.get('/learn/challenge', launch.ls);
    const id = challengeIdOf(page.body)!;
    const res = await h.post('/learn/answer', launch.ls, [
      ['challengeId', id],
      ...wrongAnswer(testContent().challenges.get(id)!),
    ]);
    expect(res.location).toMatch(/^\/learn\/challenge\?/);

    const attempt = await attemptOf(user.id!);
    const answers = await h.services.learning!.attempts.answers(h.services.learning!.attempts.db, attempt.id);
    expect(answers.map((a) => [a.challenge_id, a.seq, a.status])).toEqual([[id, 1, 'ko']]);
    const events = h.sink.events.filter((e) => e.attemptId === attempt.id);
    expect(events.map((e) => e.type)).toEqual(['started', 'progressed']);
    for (const e of events) expect(e.attemptStartedAt).toBe(Number(attempt.started_at));
    // The start is the attempt's, not the answer's time.
    expect(events[1]!.at - events[1]!.attemptStartedAt!).toBe(42_000);
  });

  it('an invalid form keeps the learner on the current challenge when an attempt exists', async () => {
    const user = learnerNamed('path-invalid');
    const launch = await h.launch(user, { activity: PARCOURS, resourceLinkId: 'rl-path-invalid' });
    await h.post('/learn/start', launch.ls, {});
    const res = await h.post('/learn/answer', launch.ls, {});
    expect(res.location).toMatch(/^\/learn\/challenge\?/);
  });
});
