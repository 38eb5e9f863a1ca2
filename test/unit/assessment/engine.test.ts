import {
  computeResult,
  maxLength,
  nextChallenge,
  startAssessment,
  type AssessmentConfig,
  type StoredAnswer,
} from '../../../src/assessment';
import { predictLevel } from '../../../src/assessment/algorithms/smart-random';
import { resolveAnswers } from '../../../src/assessment/knowledge';
import { seededRandom } from '../../../src/assessment/random';
import { play } from './support/run';
import { syntheticBank } from './support/synthetic-bank';

const bank = syntheticBank({ competences: 4, tubesPerCompetence: 4, challengesPerSkill: 2, timedEvery: 3 });
const everything: AssessmentConfig['target'] = {
  competences: ['1.1', '1.2', '1.3', '2.1'].map((competence) => ({ competence, maxLevel: 7 })),
};
const config = (
  algorithm: AssessmentConfig['algorithm'],
  extra: Partial<AssessmentConfig> = {},
): AssessmentConfig => ({
  target: everything,
  algorithm,
  seed: 42,
  locale: 'fr',
  ...extra,
});
/** A learner of ability θ on every competence, answering by coin flips of a seeded random. */
const learner = (theta: number, seed = 3) => {
  const random = seededRandom(seed);
  return (c: { level: number }) => (random.next() < 1 / (1 + Math.exp(c.level - theta)) ? 'ok' : 'ko');
};
const ALGORITHMS = ['irt', 'smart-random', 'random'] as const;

describe.each(ALGORITHMS)('%s', (algorithm) => {
  const assessment = startAssessment(bank, config(algorithm));

  it('gives the same next challenge when asked again from the same stored answers (resume)', () => {
    const { answers } = play(assessment, learner(3));
    for (const n of [0, 1, 5, answers.length - 1]) {
      const prefix = answers.slice(0, n);
      expect(nextChallenge(assessment, prefix)).toEqual(
        nextChallenge(startAssessment(bank, config(algorithm)), prefix),
      );
      expect(nextChallenge(assessment, prefix)).toMatchObject({
        done: false,
        challenge: { id: answers[n]!.challengeId },
      });
    }
  });

  it('depends on the seed', () => {
    const sequences = [1, 2, 3, 4].map((seed) =>
      play(startAssessment(bank, config(algorithm, { seed })), () => 'ok')
        .asked.map((c) => c.id)
        .join(),
    );
    expect(new Set(sequences).size).toBeGreaterThan(1);
  });

  it('never asks a challenge twice, never two timed in a row, and finishes', () => {
    const { asked } = play(assessment, learner(4));
    expect(new Set(asked.map((c) => c.id)).size).toBe(asked.length);
    for (let i = 1; i < asked.length; i++) {
      expect(asked[i - 1]!.timer !== undefined && asked[i]!.timer !== undefined).toBe(false);
    }
    expect(asked.length).toBeLessThanOrEqual(maxLength(assessment));
  });

  it('only proposes challenges of the learner’s locale and audience', () => {
    const mixed = syntheticBank({ competences: 1, audiences: ['college'], locales: ['fr'] });
    const other = syntheticBank({ competences: 1, audiences: ['lycee'], locales: ['en'], seed: 9 });
    // Same ids in both banks: rename the second bank's challenges and attach them to the same skills.
    for (const [id, c] of other.challenges) {
      const renamed = { ...c, id: `${id}-en` };
      (mixed.challenges as Map<string, typeof renamed>).set(renamed.id, renamed);
      mixed.skills.get(c.skillId)!.challengeIds.push(renamed.id);
    }
    const target = { competences: [{ competence: '1.1', maxLevel: 7 }] };
    const fr = play(
      startAssessment(mixed, { target, algorithm, seed: 1, locale: 'fr', audience: 'college' }),
      () => 'ok',
    );
    expect(fr.asked.every((c) => c.locales.includes('fr') && c.audiences.includes('college'))).toBe(true);
    const en = play(
      startAssessment(mixed, { target, algorithm, seed: 1, locale: 'en', audience: 'lycee' }),
      () => 'ok',
    );
    expect(en.asked.length).toBeGreaterThan(0);
    expect(en.asked.every((c) => c.id.endsWith('-en'))).toBe(true);
    const none = startAssessment(mixed, { target, algorithm, seed: 1, locale: 'en', audience: 'college' });
    expect(nextChallenge(none, [])).toEqual({ done: true, reason: 'completed' });
  });

  it('ranks a strong learner above a weak one', () => {
    const strong = computeResult(assessment, play(assessment, learner(6, 11)).answers);
    const weak = computeResult(assessment, play(assessment, learner(1, 11)).answers);
    expect(strong.pix).toBeGreaterThan(weak.pix);
  });
});

describe('smart random', () => {
  const assessment = startAssessment(bank, config('smart-random'));

  it('starts with an untimed level-2 skill of an easy tube', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = nextChallenge(startAssessment(bank, config('smart-random', { seed })), []);
      if (next.done) throw new Error('expected a challenge');
      expect(next.challenge.level).toBe(2);
      expect(next.challenge.timer).toBeUndefined();
      const tube = assessment.tubeById.get(next.challenge.tubeId)!;
      expect(tube.skills[tube.skills.length - 1]!.level).toBeLessThanOrEqual(3);
    }
  });

  it('predicts a level that grows with right answers', () => {
    const answers = (pattern: boolean[]) =>
      resolveAnswers(
        bank,
        pattern.map(
          (ok, i) => ({ challengeId: `c11tube3-l${i + 1}-0`, status: ok ? 'ok' : 'ko' }) as StoredAnswer,
        ),
      );
    expect(predictLevel([])).toBeCloseTo(3.5);
    const low = predictLevel(answers([true, false, false, false, false]));
    const high = predictLevel(answers([true, true, true, true, false]));
    expect(high).toBeGreaterThan(low);
  });

  it('does not propose skills more than two levels above its prediction', () => {
    const { answers, asked } = play(assessment, () => 'ko');
    asked.forEach((challenge, i) => {
      expect(challenge.level).toBeLessThanOrEqual(
        predictLevel(resolveAnswers(bank, answers.slice(0, i))) + 2,
      );
    });
  });
});

describe('irt', () => {
  const assessment = startAssessment(bank, config('irt'));

  it('interleaves competences and visits every tube of a competence before revisiting one', () => {
    const { asked } = play(assessment, learner(3, 5));
    for (let i = 1; i < asked.length; i++) {
      const open = new Set(asked.slice(i).map((c) => c.competenceId));
      if (open.size > 1) expect(asked[i]!.competenceId).not.toBe(asked[i - 1]!.competenceId);
    }
    for (const competenceId of assessment.competenceIds) {
      const tubes = asked.filter((c) => c.competenceId === competenceId).map((c) => c.tubeId);
      const firstRound = tubes.slice(
        0,
        assessment.tubes.filter((t) => t.competenceId === competenceId).length,
      );
      expect(new Set(firstRound).size).toBe(firstRound.length);
    }
  });

  it('starts around level 2 and stops each competence once it is precise enough or asked enough', () => {
    const first = nextChallenge(assessment, []);
    expect(first.done).toBe(false);
    if (!first.done) expect(Math.abs(first.challenge.irt.difficulty - 2.5)).toBeLessThanOrEqual(1);
    const { asked } = play(assessment, learner(3, 8));
    for (const competenceId of assessment.competenceIds) {
      const count = asked.filter((c) => c.competenceId === competenceId).length;
      expect(count).toBeGreaterThanOrEqual(assessment.settings.irt.minPerCompetence);
      expect(count).toBeLessThanOrEqual(assessment.settings.irt.maxPerCompetence);
    }
    const result = computeResult(assessment, play(assessment, learner(3, 8)).answers);
    for (const c of result.competences) expect(c.thetaSd).toBeDefined();
  });

  it('honours a maximum length', () => {
    const short = startAssessment(bank, config('irt', { maxChallenges: 5 }));
    expect(play(short, () => 'ok').asked).toHaveLength(5);
  });
});

describe('fixed and random', () => {
  it('fixed follows the teacher sequence, skipping what the learner cannot take', () => {
    const frOnly = syntheticBank({ competences: 1, locales: ['fr'] });
    const sequence = ['c11tube1-l3-0', 'missing', 'c11tube0-l1-1', 'c11tube2-l5-0'];
    const target = { competences: [{ competence: '1.1', maxLevel: 7 }] };
    const fr = play(
      startAssessment(frOnly, { target, algorithm: 'fixed', seed: 1, locale: 'fr', sequence }),
      () => 'ko',
    );
    expect(fr.asked.map((c) => c.id)).toEqual(['c11tube1-l3-0', 'c11tube0-l1-1', 'c11tube2-l5-0']);
    const en = startAssessment(frOnly, { target, algorithm: 'fixed', seed: 1, locale: 'en', sequence });
    expect(nextChallenge(en, [])).toEqual({ done: true, reason: 'completed' });
  });

  it('random asks its default length', () => {
    const assessment = startAssessment(bank, config('random'));
    expect(play(assessment, () => 'ok').asked).toHaveLength(maxLength(assessment));
  });
});
