import { testContent } from '../../support/app';
import { testDialects } from '../../support/databases';
import { USERS, type SimUser } from '../../support/platform';
import {
  challengeIdOf,
  h1Of,
  pathOf,
  rightAnswer,
  startHarness,
  withTimer,
  wrongAnswer,
  type Harness,
} from './harness';

const PARCOURS = 'rentree-6e';
const learnerNamed = (id: string): SimUser => ({ ...USERS.learner, id, name: `Élève ${id}` });

async function answersOf(h: Harness, userSub: string) {
  return h.services
    .learning!.attempts.db.selectFrom('answers')
    .innerJoin('attempts', 'attempts.id', 'answers.attempt_id')
    .select(['answers.challenge_id', 'answers.status', 'answers.seq'])
    .where('attempts.user_sub', '=', userSub)
    .orderBy('answers.seq')
    .execute();
}

describe.each(testDialects())('assessment runner on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    // The first challenge smart random proposes for rentree-6e gets a 30 s timer (content has none yet).
    const bank = testContent();
    h = await startHarness(dialect, { content: bank });
  }, 60_000);
  afterAll(() => h.close());

  async function begin(user: SimUser, resourceLinkId = `rl-${user.id}`) {
    const launch = await h.launch(user, { activity: PARCOURS, resourceLinkId });
    expect(launch.status).toBe(200);
    const start = await h.post('/learn/start', launch.ls, {});
    expect(start.status).toBe(303);
    const page = await h.get('/learn/challenge', launch.ls);
    return { ls: launch.ls, page, resourceLinkId };
  }

  it('launch with custom activity= shows the start page with title, kind, duration and a start button', async () => {
    const launch = await h.launch(learnerNamed('start-1'), {
      activity: PARCOURS,
      resourceLinkId: 'rl-start',
    });
    expect(pathOf(launch.url)).toBe('/learn');
    expect(h1Of(launch.body)).toBe('Rentrée en 6e');
    expect(launch.body).toMatch(/data-field="kind">Évaluation</);
    expect(launch.body).toMatch(/data-field="duration">\d+ min environ</);
    expect(launch.body).toContain('Commencer');
    const placement = await h.services.learning!.placements.findByKey({
      platformId: (await h.services.platforms.list())[0]!.id,
      deploymentId: h.sim.deploymentId,
      resourceLinkId: 'rl-start',
    });
    expect(placement).toMatchObject({ activityKind: 'parcours', activityId: PARCOURS, grading: 'mastery' });
    expect(placement!.lineitemsUrl).toContain('/lineitems');
    expect(placement!.nrpsUrl).toContain('/memberships');
  });

  it('shows one challenge without its solution or explanation, with a progress bar and a skip action', async () => {
    const { page } = await begin(learnerNamed('show-1'));
    const id = challengeIdOf(page.body)!;
    const challenge = testContent().challenges.get(id)!;
    expect(page.body).toContain('<progress');
    expect(page.body).toContain('name="skip"');
    expect(page.body).not.toContain(challenge.explanation.fr);
    expect(page.body).not.toMatch(/solution|correct/i);
    expect(h1Of(page.body)).toBe('Question 1');
  });

  it('stores a double submit once and sends the learner back to the current challenge', async () => {
    const user = learnerNamed('double-1');
    const { ls, page } = await begin(user);
    const id = challengeIdOf(page.body)!;
    const fields = [
      ['challengeId', id] as [string, string],
      ...wrongAnswer(testContent().challenges.get(id)!),
    ];
    const first = await h.post('/learn/answer', ls, fields);
    const second = await h.post('/learn/answer', ls, fields);
    expect(first.location).toMatch(/^\/learn\/challenge\?/);
    expect(second.location).toMatch(/notice=already/);
    expect(await answersOf(h, user.id!)).toEqual([{ challenge_id: id, status: 'ko', seq: 1 }]);
    const next = await h.get('/learn/challenge', ls);
    expect(challengeIdOf(next.body)).not.toBe(id);
  });

  it('two tabs answering the same challenge at the same moment store one answer', async () => {
    const user = learnerNamed('tabs-1');
    const { ls, page } = await begin(user);
    const id = challengeIdOf(page.body)!;
    const c = testContent().challenges.get(id)!;
    const results = await Promise.all([
      h.post('/learn/answer', ls, [['challengeId', id], ...rightAnswer(c)]),
      h.post('/learn/answer', ls, [['challengeId', id], ...wrongAnswer(c)]),
      h.post('/learn/answer', ls, [
        ['challengeId', id],
        ['skip', '1'],
      ]),
    ]);
    expect(results.every((r) => r.status === 303)).toBe(true);
    const stored = await answersOf(h, user.id!);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.challenge_id).toBe(id);
    expect(results.filter((r) => r.location?.includes('notice=already'))).toHaveLength(2);
  });

  it('ignores an answer for a challenge that is not the current one (back button) and keeps the current one', async () => {
    const user = learnerNamed('back-1');
    const { ls, page } = await begin(user);
    const first = challengeIdOf(page.body)!;
    await h.post('/learn/answer', ls, { challengeId: first, skip: '1' });
    const current = challengeIdOf((await h.get('/learn/challenge', ls)).body)!;
    const other = [...testContent().challenges.keys()].find((k) => k !== first && k !== current)!;
    const stale = await h.post('/learn/answer', ls, { challengeId: other, choice: 'a' });
    expect(stale.location).toMatch(/notice=already/);
    expect((await answersOf(h, user.id!)).map((a) => a.challenge_id)).toEqual([first]);
    const back = await h.get('/learn/challenge', ls, { notice: 'already' });
    expect(challengeIdOf(back.body)).toBe(current);
    expect(back.body).toContain('déjà enregistrée');
  });

  it('an empty answer is not stored: the page asks again with an error tied to the form', async () => {
    const user = learnerNamed('empty-1');
    const { ls, page } = await begin(user);
    const id = challengeIdOf(page.body)!;
    const res = await h.post('/learn/answer', ls, { challengeId: id });
    expect(res.location).toMatch(/error=empty/);
    const again = await h.get('/learn/challenge', ls, { error: 'empty' });
    expect(challengeIdOf(again.body)).toBe(id);
    expect(again.body).toMatch(/role="alert" id="answer-error"/);
    expect(await answersOf(h, user.id!)).toHaveLength(0);
  });

  it('resumes on the same challenge after a reload and after a new launch from the LMS', async () => {
    const user = learnerNamed('resume-1');
    const { ls, page, resourceLinkId } = await begin(user);
    const first = challengeIdOf(page.body)!;
    await h.post('/learn/answer', ls, { challengeId: first, skip: '1' });
    const shown = challengeIdOf((await h.get('/learn/challenge', ls)).body)!;
    expect(challengeIdOf((await h.get('/learn/challenge', ls)).body)).toBe(shown);
    const relaunch = await h.launch(user, { activity: PARCOURS, resourceLinkId });
    expect(relaunch.ls).not.toBe(ls);
    expect(relaunch.body).toContain('Reprendre');
    const resumed = await h.post('/learn/start', relaunch.ls, {});
    expect(resumed.location).toMatch(/^\/learn\/challenge/);
    const again = await h.get('/learn/challenge', relaunch.ls);
    expect(challengeIdOf(again.body)).toBe(shown);
    expect(h1Of(again.body)).toBe('Question 2');
  });

  it('shows a checkpoint after every 5 answers, with the right ones and the explanations', async () => {
    const user = learnerNamed('checkpoint-1');
    const { ls } = await begin(user);
    const bank = testContent();
    const given: string[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      const id = challengeIdOf((await h.get('/learn/challenge', ls)).body)!;
      given.push(id);
      const c = bank.challenges.get(id)!;
      last = await h.post('/learn/answer', ls, [
        ['challengeId', id],
        ...(i % 2 ? wrongAnswer(c) : rightAnswer(c)),
      ]);
      if (i < 4) expect(last.location).toMatch(/^\/learn\/challenge/);
    }
    expect(last!.location).toMatch(/^\/learn\/checkpoint/);
    const page = await h.get('/learn/checkpoint', ls);
    expect(h1Of(page.body)).toBe('Point d’étape');
    expect(page.body).toContain('3 bonne(s) réponse(s) sur 5');
    for (const id of given) expect(page.body).toContain(bank.challenges.get(id)!.explanation.fr.slice(0, 40));
    expect((page.body.match(/learner-badge--ok/g) ?? []).length).toBe(3);
  });

  it('takes a whole assessment to its results: pix, levels per competence (chart + table), strengths', async () => {
    const user = learnerNamed('whole-1');
    const { ls } = await begin(user);
    const bank = testContent();
    let count = 0;
    for (; count < 200; count++) {
      const page = await h.get('/learn/challenge', ls);
      if (pathOf(page.url) !== '/learn/challenge') {
        expect(pathOf(page.url)).toBe('/learn/results');
        break;
      }
      const id = challengeIdOf(page.body)!;
      await h.post('/learn/answer', ls, [['challengeId', id], ...rightAnswer(bank.challenges.get(id)!)]);
    }
    expect(count).toBeGreaterThan(5);
    const results = await h.get('/learn/results', ls);
    expect(h1Of(results.body)).toBe('Vos résultats');
    const pix = Number(/data-field="pix">(\d+) pix/.exec(results.body)?.[1]);
    expect(pix).toBeGreaterThan(0);
    expect(results.body).toMatch(/<svg role="img" aria-labelledby="chart-/);
    expect(results.body).toContain('<caption>Détail par compétence</caption>');
    expect(results.body).toContain('Vos points forts');
    const events = h.sink.events.filter((e) => e.userSub === user.id);
    expect(events[0]).toMatchObject({ type: 'started', progress: 0 });
    expect(events.filter((e) => e.type === 'progressed').length).toBeGreaterThanOrEqual(count);
    const done = events.filter((e) => e.type === 'completed');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ progress: 1, result: { pix, completed: true } });
    expect(done[0]!.result!.maxPix).toBeGreaterThanOrEqual(pix);
    // The results stay; the runner sends a finished learner to them.
    const after = await h.get('/learn/challenge', ls);
    expect(pathOf(after.url)).toBe('/learn/results');
  }, 60_000);

  it('times a challenge on the server: shown time kept, late answers stored as timed out', async () => {
    const learning = h.services.learning!;
    const original = learning.bank;
    const graceBefore = learning.timerGraceMs;
    try {
      const late = learnerNamed('timer-late');
      const a = await begin(late);
      const lateId = challengeIdOf(a.page.body)!;
      const onTime = learnerNamed('timer-ok');
      const b = await begin(onTime);
      const okId = challengeIdOf(b.page.body)!;
      // Content with no timed challenge yet: give these two a 30 s timer (the bank is injected).
      learning.bank = withTimer(withTimer(original, lateId, 30), okId, 30);
      learning.timerGraceMs = 2000;
      const shown = await h.get('/learn/challenge', a.ls);
      expect(shown.body).toContain('Question chronométrée : 30 secondes.');
      expect(shown.body).toMatch(/data-deadline="\d+"/);
      expect(shown.body).toContain('learner-timer.js');
      h.clock.advance(20_000);
      // A reload does not restart the countdown.
      const reloaded = await h.get('/learn/challenge', a.ls);
      expect(reloaded.body).toContain('Temps restant : 10 s');
      await h.post('/learn/answer', b.ls, [
        ['challengeId', okId],
        ...rightAnswer(original.challenges.get(okId)!),
      ]);
      h.clock.advance(13_000);
      await h.post('/learn/answer', a.ls, [
        ['challengeId', lateId],
        ...rightAnswer(original.challenges.get(lateId)!),
      ]);
      expect((await answersOf(h, late.id!))[0]).toMatchObject({ challenge_id: lateId, status: 'timedout' });
      expect((await answersOf(h, onTime.id!))[0]).toMatchObject({ challenge_id: okId, status: 'ok' });
    } finally {
      learning.bank = original;
      learning.timerGraceMs = graceBefore;
    }
  });
});
