import {
  computeResult,
  DEFAULT_SETTINGS,
  nextChallenge,
  startAssessment,
  type AssessmentConfig,
  type StoredAnswer,
} from '../../../src/assessment';
import { competenceStates } from '../../../src/assessment/algorithms/irt';
import { hierarchicalPriors } from '../../../src/assessment/hierarchy';
import { estimateAbility, makeGrid, normalDensity, probabilityAtLeast } from '../../../src/assessment/irt';
import { resolveAnswers } from '../../../src/assessment/knowledge';
import { seededRandom } from '../../../src/assessment/random';
import { play } from './support/run';
import { syntheticBank } from './support/synthetic-bank';

const bank = syntheticBank({ competences: 4, tubesPerCompetence: 4, challengesPerSkill: 2 });
const target: AssessmentConfig['target'] = {
  competences: ['1.1', '1.2', '1.3', '2.1'].map((competence) => ({ competence, maxLevel: 7 })),
};
const config: AssessmentConfig = { target, algorithm: 'irt', seed: 42, locale: 'fr' };
const irt = DEFAULT_SETTINGS.irt;

/** Every challenge of a competence at the given levels, answered with one status. */
function answersIn(competence: string, levels: number[], status: StoredAnswer['status']): StoredAnswer[] {
  const c = competence.replace('.', '');
  return levels.map((level, i) => ({ challengeId: `c${c}tube${i % 4}-l${level}-0`, status }));
}

function stateOf(
  assessment: ReturnType<typeof startAssessment>,
  answers: StoredAnswer[],
  competence: string,
) {
  return competenceStates(assessment, resolveAnswers(bank, answers)).find(
    (s) => s.competenceId === competence,
  )!;
}

describe('the grid and the posterior', () => {
  const grid = makeGrid(irt, 7);

  it('builds the normal prior by recurrence, equal to the direct formula', () => {
    const out = new Float64Array(grid.points.length);
    for (const [mean, sd] of [
      [2.5, 1.5],
      [-2, 0.6],
      [9.7, 0.9],
    ] as const) {
      normalDensity(grid, mean, sd, out);
      grid.points.forEach((x, i) => {
        expect(out[i]).toBeCloseTo(Math.exp(-0.5 * ((x - mean) / sd) ** 2), 10);
      });
    }
  });

  it('moves the estimate up with right answers and concentrates it with more answers', () => {
    const item = (correct: boolean) => ({ difficulty: 3, discrimination: 1, correct });
    const right = estimateAbility(grid, [item(true), item(true)]);
    const wrong = estimateAbility(grid, [item(false), item(false)]);
    const many = estimateAbility(
      grid,
      Array.from({ length: 12 }, (_, i) => item(i % 2 === 0)),
    );
    expect(right.theta).toBeGreaterThan(wrong.theta);
    expect(many.sd).toBeLessThan(estimateAbility(grid, [item(true), item(false)]).sd);
    expect(many.levelProbability).toBeGreaterThan(0);
    expect(many.levelProbability).toBeLessThanOrEqual(1);
  });

  it('never underflows on long tests of very discriminating items', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({
      difficulty: (i % 8) + 0.5,
      discrimination: 4,
      correct: i % 8 < 4,
    }));
    const estimate = estimateAbility(grid, items);
    expect(Number.isFinite(estimate.theta)).toBe(true);
    expect(estimate.theta).toBeGreaterThan(3);
    expect(estimate.theta).toBeLessThan(5);
  });

  it('P(θ ≥ δ) falls as δ rises', () => {
    const weights = new Float64Array(grid.points.length).fill(1 / grid.points.length);
    expect(probabilityAtLeast(grid, weights, 1)).toBeGreaterThan(probabilityAtLeast(grid, weights, 5));
  });
});

describe('hierarchical prior across competences', () => {
  it('gives the population prior to a learner nobody knows anything about', () => {
    const priors = hierarchicalPriors(
      [0, 1, 2].map(() => ({ theta: irt.priorMean, information: 0 })),
      irt,
    );
    for (const prior of priors) {
      expect(prior.mean).toBeCloseTo(irt.priorMean, 12);
      expect(prior.sd).toBeCloseTo(irt.priorSd, 12);
    }
  });

  it('centres a competence on what the others say, narrower, without counting its own answers', () => {
    const [own, other] = hierarchicalPriors(
      [
        { theta: 1, information: 0.8 },
        { theta: 5, information: 1.6 },
      ],
      irt,
    );
    // The first competence's prior follows the second's high estimate, and vice versa.
    expect(own!.mean).toBeGreaterThan(irt.priorMean);
    expect(other!.mean).toBeLessThan(irt.priorMean);
    expect(own!.sd).toBeLessThan(irt.priorSd);
    expect(own!.sd).toBeGreaterThan(irt.competenceSd);
  });

  it('moves an unanswered competence towards the learner’s other competences', () => {
    const assessment = startAssessment(bank, config);
    const strong = [
      ...answersIn('1.1', [4, 5, 6], 'ok'),
      ...answersIn('1.2', [4, 5, 6], 'ok'),
      ...answersIn('1.3', [4, 5, 6], 'ok'),
    ];
    const weak = [
      ...answersIn('1.1', [1, 2, 3], 'ko'),
      ...answersIn('1.2', [1, 2, 3], 'ko'),
      ...answersIn('1.3', [1, 2, 3], 'ko'),
    ];
    const high = stateOf(assessment, strong, '2.1');
    const low = stateOf(assessment, weak, '2.1');
    expect(high.answered).toBe(0);
    expect(high.theta).toBeGreaterThan(irt.priorMean + 0.5);
    expect(low.theta).toBeLessThan(irt.priorMean - 0.5);
    expect(high.sd).toBeLessThan(irt.priorSd);

    const flat = startAssessment(bank, config, { irt: { hierarchical: false } });
    expect(stateOf(flat, strong, '2.1').theta).toBeCloseTo(stateOf(flat, weak, '2.1').theta, 6);
  });

  it('and so a competence’s first challenge sits at that moved prior', () => {
    const strong = ['1.1', '1.2', '1.3'].flatMap((c) => answersIn(c, [5, 6, 7], 'ok'));
    const weak = ['1.1', '1.2', '1.3'].flatMap((c) => answersIn(c, [1, 2, 3], 'ko'));
    const firstLevel = (answers: StoredAnswer[], seed: number) => {
      const next = nextChallenge(startAssessment(bank, { ...config, seed }), answers);
      if (next.done) throw new Error('expected a challenge');
      expect(next.challenge.competenceId).toBe('2.1');
      return next.challenge.level;
    };
    for (let seed = 1; seed <= 8; seed++) {
      expect(firstLevel(strong, seed)).toBeGreaterThan(firstLevel(weak, seed));
    }
  });
});

describe('stopping', () => {
  const learner = (theta: number, seed: number) => {
    const random = seededRandom(seed);
    return (c: { level: number }) => (random.next() < 1 / (1 + Math.exp(c.level - theta)) ? 'ok' : 'ko');
  };

  it('stops a competence once its most probable level is probable enough, never before the minimum', () => {
    const settings = { stopSd: 0, stopLevelProbability: 0.55, minPerCompetence: 2, maxPerCompetence: 12 };
    const assessment = startAssessment(bank, config, { irt: settings });
    for (const [theta, seed] of [
      [0.2, 1],
      [3.5, 2],
      [6.8, 3],
    ] as const) {
      const { answers, asked } = play(assessment, learner(theta, seed));
      asked.forEach((challenge, i) => {
        // When this challenge was chosen, its competence had not yet met the rule.
        const before = stateOf(assessment, answers.slice(0, i), challenge.competenceId);
        expect(
          before.answered < settings.minPerCompetence ||
            before.levelProbability < settings.stopLevelProbability,
        ).toBe(true);
      });
      for (const state of competenceStates(assessment, resolveAnswers(bank, answers))) {
        expect(state.answered).toBeGreaterThanOrEqual(settings.minPerCompetence);
        if (state.answered < settings.maxPerCompetence)
          expect(state.levelProbability).toBeGreaterThanOrEqual(settings.stopLevelProbability);
      }
    }
  });

  it('asks every competence its maximum when both stop rules are off', () => {
    const off = { stopSd: 0, stopLevelProbability: 1.01, maxPerCompetence: 6 };
    const assessment = startAssessment(bank, config, { irt: off });
    const { asked } = play(assessment, learner(3, 4));
    for (const competenceId of assessment.competenceIds) {
      expect(asked.filter((c) => c.competenceId === competenceId)).toHaveLength(6);
    }
  });

  it('extreme learners finish sooner than middling ones under the level rule', () => {
    const assessment = startAssessment(bank, config, { irt: { maxPerCompetence: 12 } });
    const length = (theta: number) =>
      [1, 2, 3, 4, 5].reduce((n, seed) => n + play(assessment, learner(theta, seed)).asked.length, 0);
    expect(length(-1)).toBeLessThan(length(3.5));
  });
});

describe('the per-assessment cache', () => {
  it('gives the same choices when learners interleave on one assessment as on fresh ones', () => {
    const shared = startAssessment(bank, config);
    const policies = [0, 1].map((k) => {
      const random = seededRandom(100 + k);
      return (c: { level: number }) =>
        random.next() < 1 / (1 + Math.exp(c.level - 2 - 2 * k)) ? 'ok' : 'ko';
    });
    const alone = [0, 1].map((k) =>
      play(startAssessment(bank, { ...config, seed: 7 + k }), policies[k]!).answers.map((a) => a.challengeId),
    );
    const again = [0, 1].map((k) => {
      const random = seededRandom(100 + k);
      return (c: { level: number }) =>
        random.next() < 1 / (1 + Math.exp(c.level - 2 - 2 * k)) ? 'ok' : 'ko';
    });
    const sequences: StoredAnswer[][] = [[], []];
    const assessments = [0, 1].map((k) => ({ ...shared, config: { ...shared.config, seed: 7 + k } }));
    for (let step = 0; step < 200; step++) {
      const k = step % 2;
      const next = nextChallenge(assessments[k]!, sequences[k]!);
      if (next.done) continue;
      sequences[k]!.push({ challengeId: next.challenge.id, status: again[k]!(next.challenge) });
    }
    expect(sequences.map((s) => s.map((a) => a.challengeId))).toEqual(alone);
    // And results do not depend on what the cache saw last.
    const result = computeResult(assessments[0]!, sequences[0]!);
    nextChallenge(assessments[1]!, sequences[1]!);
    expect(computeResult(assessments[0]!, sequences[0]!)).toEqual(result);
  });
});

describe('skills in the result', () => {
  const oneTube = syntheticBank({ competences: 1, tubesPerCompetence: 4, levels: () => [1, 2, 3, 4, 5, 6] });
  const single = { competences: [{ competence: '1.1', maxLevel: 7 }] };
  const answers: StoredAnswer[] = [
    { challengeId: 'c11tube0-l2-0', status: 'ko' }, // a slip, against everything else
    { challengeId: 'c11tube0-l4-0', status: 'ok' },
    { challengeId: 'c11tube1-l4-0', status: 'ok' },
    { challengeId: 'c11tube2-l5-0', status: 'ok' },
    { challengeId: 'c11tube3-l4-0', status: 'ok' },
  ];
  const statusOf = (skillEvidence: 'answers' | 'ability' | 'tubes', skillId: string) => {
    const assessment = startAssessment(oneTube, { ...config, target: single }, { irt: { skillEvidence } });
    return computeResult(assessment, answers).skills.find((s) => s.skillId === skillId);
  };

  it('answers: a direct result stands', () => {
    expect(statusOf('answers', '@c11tube02')).toEqual({
      skillId: '@c11tube02',
      status: 'invalidated',
      source: 'direct',
    });
    expect(statusOf('answers', '@c11tube03')?.status).toBe('validated');
  });

  it('ability and tubes: one slip is weighed against the rest', () => {
    expect(statusOf('ability', '@c11tube02')?.status).toBe('validated');
    expect(statusOf('tubes', '@c11tube02')?.status).toBe('validated');
    expect(statusOf('tubes', '@c11tube02')?.source).toBe('direct');
    // Far above every right answer, nothing says the learner masters it.
    expect(statusOf('tubes', '@c11tube06')?.status).toBe('invalidated');
  });
});
