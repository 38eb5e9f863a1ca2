import fc from 'fast-check';
import { computeResult, startAssessment, type StoredAnswer } from '../../../src/assessment';
import { seededRandom } from '../../../src/assessment/random';
import { play } from './support/run';
import { syntheticBank } from './support/synthetic-bank';

const bank = syntheticBank({ competences: 3, tubesPerCompetence: 3, timedEvery: 4, irtJitter: 0.8 });
const target = { competences: ['1.1', '1.2', '1.3'].map((competence) => ({ competence, maxLevel: 7 })) };
const challengeIds = [...bank.challenges.keys()];
const algorithms = fc.constantFrom('irt' as const, 'smart-random' as const, 'random' as const);
const statuses = fc.constantFrom('ok' as const, 'ko' as const, 'skipped' as const, 'timedout' as const);

describe('engine properties', () => {
  it('more right answers never give a lower score or level', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('irt' as const, 'smart-random' as const),
        fc.uniqueArray(fc.constantFrom(...challengeIds), { minLength: 1, maxLength: 25 }),
        fc.array(statuses, { minLength: 25, maxLength: 25 }),
        fc.nat(),
        // irt's ways of turning the posterior into skills, with and without the hierarchical prior.
        fc.constantFrom('answers' as const, 'ability' as const, 'tubes' as const),
        fc.boolean(),
        (algorithm, ids, statusList, flipAt, skillEvidence, hierarchical) => {
          const assessment = startAssessment(
            bank,
            { target, algorithm, seed: 1, locale: 'fr' },
            { irt: { skillEvidence, hierarchical } },
          );
          const answers: StoredAnswer[] = ids.map((challengeId, i) => ({
            challengeId,
            status: statusList[i]!,
          }));
          const better = answers.map((a, i) =>
            i === flipAt % answers.length ? { ...a, status: 'ok' as const } : a,
          );
          const before = computeResult(assessment, answers);
          const after = computeResult(assessment, better);
          expect(after.pix).toBeGreaterThanOrEqual(before.pix);
          expect(after.mastery).toBeGreaterThanOrEqual(before.mastery);
          after.competences.forEach((c, i) => {
            expect(c.pix).toBeGreaterThanOrEqual(before.competences[i]!.pix);
            expect(c.level).toBeGreaterThanOrEqual(before.competences[i]!.level);
          });
        },
      ),
      { numRuns: 250 },
    );
  });

  it('every test terminates, never repeats a challenge, keeps scores within bounds, and is deterministic', () => {
    fc.assert(
      fc.property(
        algorithms,
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (algorithm, seed, skill) => {
          const assessment = startAssessment(bank, { target, algorithm, seed, locale: 'fr' });
          const policy = () => {
            const random = seededRandom(seed ^ 0x5bd1e995);
            return () => (random.next() < skill ? 'ok' : 'ko');
          };
          const first = play(assessment, policy());
          const second = play(startAssessment(bank, { target, algorithm, seed, locale: 'fr' }), policy());
          expect(second.answers).toEqual(first.answers);
          expect(new Set(first.asked.map((c) => c.id)).size).toBe(first.asked.length);
          const result = computeResult(assessment, first.answers);
          for (const c of result.competences) {
            expect(c.pix).toBeGreaterThanOrEqual(0);
            expect(c.pix).toBeLessThanOrEqual(56);
            expect(c.level).toBe(Math.min(7, Math.floor(c.pix / 8)));
          }
          expect(result.pix).toBe(result.competences.reduce((n, c) => n + c.pix, 0));
          expect(result.mastery).toBeGreaterThanOrEqual(0);
          expect(result.mastery).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });
});
