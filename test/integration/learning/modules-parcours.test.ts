import type { ModuleElement } from '../../../src/content/schema';
import { testContent } from '../../support/app';
import { testDialects } from '../../support/databases';
import { USERS, type SimUser } from '../../support/platform';
import { challengeIdOf, h1Of, pathOf, rightAnswer, startHarness, type Harness } from './harness';

const learnerNamed = (id: string, name = 'Léa Martin'): SimUser => ({ ...USERS.learner, id, name });

/** The grain id the page's continue form moves past. */
const continueGrainOf = (page: string) =>
  /action="\/learn\/module\/continue"[\s\S]*?name="grain" value="([^"]+)"/.exec(page)?.[1];

/** Fields answering a module element right. */
function rightElement(e: ModuleElement): Array<[string, string]> {
  switch (e.type) {
    case 'qcu':
      return [
        ['kind', 'qcu'],
        ['choice', e.solution],
      ];
    case 'qcm':
      return [['kind', 'qcm'], ...e.solution.map((id) => ['choice', id] as [string, string])];
    case 'qrocm':
      return [
        ['kind', 'qrocm'],
        ...e.fields.map((f) => {
          const accepted = e.solution[f.id]!;
          const value = Array.isArray(accepted)
            ? accepted[0]!
            : 'number' in accepted
              ? String(accepted.number)
              : accepted.fr[0]!;
          return [`field.${f.id}`, value] as [string, string];
        }),
      ];
    case 'sorter':
      return [['kind', 'sorter'], ...e.cards.map((c) => [`card.${c.id}`, c.category] as [string, string])];
    case 'flashcards':
      return [['kind', 'flashcards']];
    default:
      return [];
  }
}

const elementsOf = (moduleId: string) =>
  testContent()
    .modules.get(moduleId)!
    .sections.flatMap((s) => s.grains)
    .flatMap((g) => g.elements);

async function elementRows(h: Harness, userSub: string) {
  return h.services
    .learning!.attempts.db.selectFrom('element_answers')
    .innerJoin('attempts', 'attempts.id', 'element_answers.attempt_id')
    .select(['element_answers.element_id', 'element_answers.correct'])
    .where('attempts.user_sub', '=', userSub)
    .execute();
}

/** Plays the module step in progress to its end, answering every interactive element right. */
async function playModule(h: Harness, ls: string, moduleId: string, opts: { wrongFirst?: boolean } = {}) {
  const elements = elementsOf(moduleId);
  for (let pages = 0; pages < 100; pages++) {
    const page = await h.get('/learn/module', ls);
    if (pathOf(page.url) !== '/learn/module') return page;
    for (const m of page.body.matchAll(/name="element" value="([^"]+)"/g)) {
      const element = elements.find((e) => e.id === m[1])!;
      const fields =
        opts.wrongFirst && element.type === 'qcu'
          ? [
              ['kind', 'qcu'] as [string, string],
              ['choice', element.proposals.find((p) => p.id !== element.solution)!.id] as [string, string],
            ]
          : rightElement(element);
      const res = await h.post('/learn/module/element', ls, [['element', element.id], ...fields]);
      expect(res.location).toMatch(new RegExp(`focus=${element.id}.*#fb-${element.id}$`));
    }
    const grain = continueGrainOf((await h.get('/learn/module', ls)).body)!;
    const next = await h.post('/learn/module/continue', ls, { grain });
    // Past the last grain the server sends the learner on (start page of the parcours, or results).
    if (!next.location?.startsWith('/learn/module')) {
      const target = new URL(next.location!, h.url);
      return h.get(target.pathname, ls);
    }
  }
  throw new Error('module did not end');
}

describe.each(testDialects())('modules, parcours and attestations on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  }, 60_000);
  afterAll(() => h.close());

  it('plays a module: feedback from the server after the answer is stored, one row per element, completion', async () => {
    const user = learnerNamed('mod-1');
    const launch = await h.launch(user, {
      activity: 'module:mots-de-passe-solides',
      resourceLinkId: 'rl-mod-1',
    });
    expect(launch.body).toMatch(/data-field="kind">Module</);
    const start = await h.post('/learn/start', launch.ls, {});
    expect(start.location).toMatch(/^\/learn\/module/);
    const first = await h.get('/learn/module', launch.ls);
    expect(first.body).toContain('<progress');
    expect(first.body).toContain('Page 1 sur');

    // An element answered twice keeps the first answer; the page shows the server's feedback.
    const qcu = elementsOf('mots-de-passe-solides').find((e) => e.type === 'qcu')!;
    if (qcu.type !== 'qcu') throw new Error('no qcu');
    // Walk to the grain holding the qcu.
    for (
      let i = 0;
      i < 20 && !(await h.get('/learn/module', launch.ls)).body.includes(`value="${qcu.id}"`);
      i++
    ) {
      const grain = continueGrainOf((await h.get('/learn/module', launch.ls)).body)!;
      await h.post('/learn/module/continue', launch.ls, { grain });
    }
    const before = await h.get('/learn/module', launch.ls);
    expect(before.body).not.toContain(qcu.proposals[0]!.feedback.fr);
    const wrong = qcu.proposals.find((p) => p.id !== qcu.solution)!;
    await h.post('/learn/module/element', launch.ls, { element: qcu.id, kind: 'qcu', choice: wrong.id });
    await h.post('/learn/module/element', launch.ls, { element: qcu.id, kind: 'qcu', choice: qcu.solution });
    const after = await h.get('/learn/module', launch.ls, { focus: qcu.id });
    expect(after.body).toContain(wrong.feedback.fr.slice(0, 40));
    expect(after.body).toMatch(new RegExp(`id="fb-${qcu.id}" tabindex="-1" data-focus role="status"`));
    expect(after.body).toContain('Réponse incorrecte');
    expect(await elementRows(h, user.id!)).toEqual([{ element_id: qcu.id, correct: 0 }]);

    const end = await playModule(h, launch.ls, 'mots-de-passe-solides');
    expect(pathOf(end.url)).toBe('/learn/results');
    expect(end.body).toMatch(/Module terminé : \d+ % de bonnes réponses/);
    const gradable = elementsOf('mots-de-passe-solides').filter((e) =>
      ['qcu', 'qcm', 'qrocm', 'sorter'].includes(e.type),
    );
    const rows = await elementRows(h, user.id!);
    expect(rows.filter((r) => r.correct === 1)).toHaveLength(gradable.length - 1);
    const completed = h.sink.events.filter((e) => e.userSub === user.id && e.type === 'completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.result!.mastery).toBeCloseTo((gradable.length - 1) / gradable.length, 2);
  }, 60_000);

  it('a stale continue (back button, second tab) does not skip a grain', async () => {
    const user = learnerNamed('mod-stale');
    const launch = await h.launch(user, {
      activity: 'module:mots-de-passe-solides',
      resourceLinkId: 'rl-mod-2',
    });
    await h.post('/learn/start', launch.ls, {});
    const grain = continueGrainOf((await h.get('/learn/module', launch.ls)).body)!;
    await h.post('/learn/module/continue', launch.ls, { grain });
    await h.post('/learn/module/continue', launch.ls, { grain });
    const page = await h.get('/learn/module', launch.ls);
    expect(page.body).toContain('Page 2 sur');
    const back = await h.get('/learn/module', launch.ls, { grain: '0' });
    expect(back.body).toContain('Revenir à ma page en cours');
    expect(back.body).not.toContain('action="/learn/module/continue"');
  });

  it('goes through a parcours (module, then quiz), shows progress, and awards a verifiable attestation', async () => {
    const user = learnerNamed('parcours-1', 'Léa Martin');
    const launch = await h.launch(user, { activity: 'attestation-6e', resourceLinkId: 'rl-att' });
    expect(launch.body).toContain('Étapes');
    await h.post('/learn/start', launch.ls, {});
    const afterModule = await playModule(h, launch.ls, 'prevenir-cyberharcelement');
    expect(pathOf(afterModule.url)).toBe('/learn');
    expect(afterModule.body).toMatch(/learner-badge--done">terminée/);
    expect(afterModule.body).toMatch(/aria-current="step"/);
    expect(afterModule.body).toContain('Reprendre');

    await h.post('/learn/start', launch.ls, {});
    const bank = testContent();
    let page = await h.get('/learn/challenge', launch.ls);
    for (let i = 0; i < 30 && pathOf(page.url) === '/learn/challenge'; i++) {
      const id = challengeIdOf(page.body)!;
      await h.post('/learn/answer', launch.ls, [
        ['challengeId', id],
        ...rightAnswer(bank.challenges.get(id)!),
      ]);
      page = await h.get('/learn/challenge', launch.ls);
    }
    expect(pathOf(page.url)).toBe('/learn/results');
    expect(page.body).toMatch(/data-field="mastery">\d+ %/);
    const code = /data-field="code">([A-Z0-9-]+)</.exec(page.body)?.[1];
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const printable = await h.get('/learn/attestation', launch.ls);
    expect(printable.body).toContain('Léa Martin');
    expect(printable.body).toContain(`/attestations/${code}`);
    const pdf = await fetch(`${h.url}/learn/attestation.pdf?ls=${launch.ls}`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // Anyone can check the code: initials, parcours, date; nothing else personal.
    const check = await fetch(`${h.url}/attestations/${code}`);
    const body = await check.text();
    expect(check.status).toBe(200);
    expect(body).toContain('Attestation authentique');
    expect(body).toMatch(/data-field="holder">L\. M\.</);
    expect(body).not.toContain('Martin');
    expect(body).not.toContain('lea.martin@example.org');
    expect(body).toContain('Attestation de sensibilisation au numérique');
    const unknown = await fetch(`${h.url}/attestations/AAAA-BBBB-CCCC`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Aucune attestation ne correspond');
    const typed = await fetch(`${h.url}/attestations?code=${code!.toLowerCase()}`, { redirect: 'manual' });
    expect(typed.headers.get('location')).toBe(`/attestations/${code}`);

    const events = h.sink.events.filter((e) => e.userSub === user.id);
    expect(events.filter((e) => e.type === 'completed')).toHaveLength(1);
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  }, 90_000);

  it('an unconfigured link: a friendly page for learners, a plain chooser for instructors that binds it', async () => {
    const learner = await h.launch(learnerNamed('unconf-1'), { resourceLinkId: 'rl-empty' });
    expect(pathOf(learner.url)).toBe('/learn');
    expect(h1Of(learner.body)).toBe('Activité pas encore choisie');
    expect(learner.body).toContain('Votre enseignant n’a pas encore choisi');
    const refused = await h.post('/learn/choose', learner.ls, { activity: 'rentree-6e' });
    expect(refused.status).toBe(403);

    const teacher = await h.launch(USERS.instructor, { resourceLinkId: 'rl-empty' });
    expect(pathOf(teacher.url)).toBe('/learn/choose');
    expect(teacher.body).toContain('value="parcours:rentree-6e"');
    expect(teacher.body).toContain('value="module:mots-de-passe-solides"');
    const bound = await h.post('/learn/choose', teacher.ls, { activity: 'module:mots-de-passe-solides' });
    expect(bound.location).toMatch(/^\/learn\?/);

    const again = await h.launch(learnerNamed('unconf-1'), { resourceLinkId: 'rl-empty' });
    expect(h1Of(again.body)).toBe(testContent().modules.get('mots-de-passe-solides')!.title.fr);
    expect(again.body).toContain('Commencer');
  });

  it('a custom activity= unknown to the content leaves the link unconfigured; a later valid one binds it', async () => {
    const unknown = await h.launch(learnerNamed('custom-1'), {
      activity: 'nope-404',
      resourceLinkId: 'rl-custom',
    });
    expect(h1Of(unknown.body)).toBe('Activité pas encore choisie');
    const known = await h.launch(learnerNamed('custom-1'), {
      activity: 'rentree-3e',
      resourceLinkId: 'rl-custom',
    });
    expect(h1Of(known.body)).toBe(testContent().parcours.get('rentree-3e')!.title.fr);
  });

  it('a link records the grading its custom parameters carry (the deep-linking choice), and follows a change', async () => {
    const placementOf = async () =>
      await h.db.kysely
        .selectFrom('placements')
        .select(['grading', 'activity_id'])
        .where('resource_link_id', '=', 'rl-graded')
        .executeTakeFirstOrThrow();
    await h.launch(learnerNamed('graded-1'), {
      activity: 'rentree-3e',
      resourceLinkId: 'rl-graded',
      custom: { grading: 'pix' },
    });
    expect(await placementOf()).toEqual({ grading: 'pix', activity_id: 'rentree-3e' });
    await h.launch(learnerNamed('graded-1'), {
      activity: 'rentree-3e',
      resourceLinkId: 'rl-graded',
      custom: { grading: 'completion' },
    });
    expect((await placementOf()).grading).toBe('completion');
    await h.launch(learnerNamed('graded-1'), {
      activity: 'rentree-3e',
      resourceLinkId: 'rl-graded',
      custom: { grading: 'nonsense' },
    });
    expect((await placementOf()).grading).toBe('mastery');
  });

  it('pages follow the launch locale', async () => {
    const en = await h.launch(learnerNamed('en-1'), {
      activity: 'rentree-6e',
      resourceLinkId: 'rl-en',
      locale: 'en-GB',
    });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Start');
    expect(h1Of(en.body)).toBe(testContent().parcours.get('rentree-6e')!.title.en);
  });
});
