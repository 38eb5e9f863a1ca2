import { parcoursSchema } from '../../../src/content/schema';
import { assessmentConfigForStep, nextParcoursStep, parcoursOutcome } from '../../../src/assessment';

const L = (s: string) => ({ fr: s, en: s });
const parcours = parcoursSchema.parse({
  id: 'sixieme',
  title: L('Sixième'),
  description: L('d'),
  audiences: ['college'],
  algorithm: 'irt',
  steps: [
    {
      type: 'assessment',
      id: 'diag',
      title: L('Diag'),
      targetProfile: { tubes: [{ tube: 'abc', maxLevel: 3 }] },
    },
    { type: 'module', id: 'm1', module: 'cyberharcelement' },
    {
      type: 'assessment',
      id: 'final',
      title: L('Final'),
      algorithm: 'fixed',
      sequence: ['q1', 'q2'],
      maxChallenges: 2,
      targetProfile: { competences: [{ competence: '4.3', maxLevel: 2 }] },
    },
  ],
  attestation: { title: L('A'), description: L('A'), minMastery: 50 },
});

describe('parcours', () => {
  it('takes steps in order, whatever order they were completed in', () => {
    expect(nextParcoursStep(parcours, [])).toMatchObject({ done: false, index: 0, step: { id: 'diag' } });
    expect(nextParcoursStep(parcours, ['diag'])).toMatchObject({ index: 1, step: { type: 'module' } });
    expect(nextParcoursStep(parcours, ['m1', 'final'])).toMatchObject({ index: 0 });
    expect(nextParcoursStep(parcours, ['final', 'diag', 'm1'])).toEqual({ done: true });
  });

  it('configures an assessment step, the step’s algorithm overriding the parcours’', () => {
    const [diag, , final] = parcours.steps;
    const learner = { seed: 9, locale: 'en' as const, audience: 'college' as const };
    expect(assessmentConfigForStep(parcours, diag as never, learner)).toMatchObject({
      algorithm: 'irt',
      seed: 9,
    });
    expect(assessmentConfigForStep(parcours, final as never, learner)).toMatchObject({
      algorithm: 'fixed',
      sequence: ['q1', 'q2'],
      maxChallenges: 2,
    });
  });

  it('awards the attestation once finished with enough mastery', () => {
    expect(parcoursOutcome(parcours, ['diag', 'm1'], { diag: 90 }).attestationEarned).toBe(false);
    expect(parcoursOutcome(parcours, ['diag', 'm1', 'final'], { diag: 40, final: 70 })).toEqual({
      finished: true,
      masteryPercent: 55,
      attestationEarned: true,
    });
    expect(
      parcoursOutcome(parcours, ['diag', 'm1', 'final'], { diag: 20, final: 70 }).attestationEarned,
    ).toBe(false);
  });
});
