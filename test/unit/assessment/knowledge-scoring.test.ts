import {
  computeResult,
  inferKnowledge,
  resolveAnswers,
  skillPixValues,
  startAssessment,
  type StoredAnswer,
} from '../../../src/assessment';
import { syntheticBank } from './support/synthetic-bank';

const allLevels = () => [1, 2, 3, 4, 5, 6, 7, 8];

describe('knowledge inference inside a tube', () => {
  const bank = syntheticBank({ competences: 1, tubesPerCompetence: 2, levels: allLevels });
  const know = (answers: StoredAnswer[]) => inferKnowledge(bank, resolveAnswers(bank, answers));

  it('a right answer validates every easier skill of the tube, and nothing harder or elsewhere', () => {
    const k = know([{ challengeId: 'c11tube0-l3-0', status: 'ok' }]);
    expect(k.get('@c11tube03')).toEqual({ status: 'validated', source: 'direct' });
    expect(k.get('@c11tube01')).toEqual({ status: 'validated', source: 'inferred' });
    expect(k.get('@c11tube02')).toEqual({ status: 'validated', source: 'inferred' });
    expect(k.has('@c11tube04')).toBe(false);
    expect(k.has('@c11tube11')).toBe(false);
  });

  it('a wrong, skipped or timed-out answer invalidates every harder skill', () => {
    for (const status of ['ko', 'skipped', 'timedout'] as const) {
      const k = know([{ challengeId: 'c11tube0-l6-0', status }]);
      expect(k.get('@c11tube06')).toEqual({ status: 'invalidated', source: 'direct' });
      expect(k.get('@c11tube07')).toEqual({ status: 'invalidated', source: 'inferred' });
      expect(k.get('@c11tube08')).toEqual({ status: 'invalidated', source: 'inferred' });
      expect(k.has('@c11tube05')).toBe(false);
    }
  });

  it('never overrides a direct result by inference', () => {
    const k = know([
      { challengeId: 'c11tube0-l2-0', status: 'ko' },
      { challengeId: 'c11tube0-l5-0', status: 'ok' },
    ]);
    expect(k.get('@c11tube02')).toEqual({ status: 'invalidated', source: 'direct' });
    expect(k.get('@c11tube04')).toEqual({ status: 'validated', source: 'inferred' });
    // Not contradicted by the later right answer, the earlier inference stands.
    expect(k.get('@c11tube06')).toEqual({ status: 'invalidated', source: 'inferred' });
  });

  it('ignores answers to challenges the bank no longer has', () => {
    expect(know([{ challengeId: 'gone', status: 'ok' }]).size).toBe(0);
  });
});

describe('pix values and scoring', () => {
  it('values a skill min(4, 8/N) with N the skills of its competence at its level in the whole bank', () => {
    // Tube i has levels 1..(3+2i): 3 tubes give 3 skills at levels 1-3, 2 at 4-5, 1 at 6-7.
    const bank = syntheticBank({ competences: 1, tubesPerCompetence: 3 });
    const pix = skillPixValues(bank, ['1.1']);
    expect(pix.get('@c11tube01')).toBeCloseTo(8 / 3);
    expect(pix.get('@c11tube24')).toBe(4);
    expect(pix.get('@c11tube27')).toBe(4);
    // A narrow target does not inflate the value: N still comes from the bank.
    const narrow = startAssessment(bank, {
      target: { tubes: [{ tube: 'c11tube0', maxLevel: 2 }] },
      algorithm: 'smart-random',
      seed: 1,
      locale: 'fr',
    });
    expect(narrow.skillPix.get('@c11tube01')).toBeCloseTo(8 / 3);
  });

  const bank = syntheticBank({ competences: 2, tubesPerCompetence: 2, levels: allLevels });
  const assessment = startAssessment(bank, {
    target: {
      competences: [
        { competence: '1.1', maxLevel: 8 },
        { competence: '1.2', maxLevel: 8 },
      ],
    },
    algorithm: 'smart-random',
    seed: 1,
    locale: 'fr',
  });

  it('floors the sum, caps at the highest open level and derives the level', () => {
    // Two skills per level: each is worth 4 pix. Level 3 in one tube → 3 × 4 = 12 pix, level 1.
    const oneTube = computeResult(assessment, [{ challengeId: 'c11tube0-l3-0', status: 'ok' }]);
    expect(oneTube.competences[0]).toMatchObject({ competenceId: '1.1', pix: 12, level: 1 });
    // Level 8 in both tubes: 64 pix stored, capped at 7 × 8 = 56, level 7.
    const top = computeResult(assessment, [
      { challengeId: 'c11tube0-l8-0', status: 'ok' },
      { challengeId: 'c11tube1-l8-0', status: 'ok' },
    ]);
    expect(top.competences[0]).toMatchObject({ pix: 56, level: 7 });
    expect(top.competences[1]).toMatchObject({ competenceId: '1.2', pix: 0, level: 0 });
    expect(top.pix).toBe(56);
  });

  it('respects a lower highest open level', () => {
    const capped = startAssessment(
      bank,
      {
        target: { competences: [{ competence: '1.1', maxLevel: 8 }] },
        algorithm: 'smart-random',
        seed: 1,
        locale: 'fr',
      },
      { maxLevel: 5 },
    );
    const result = computeResult(capped, [{ challengeId: 'c11tube0-l5-0', status: 'ok' }]);
    expect(result.competences[0]).toMatchObject({ pix: 20, level: 2 });
    const all = computeResult(capped, [
      { challengeId: 'c11tube0-l5-0', status: 'ok' },
      { challengeId: 'c11tube1-l5-0', status: 'ok' },
    ]);
    expect(all.competences[0]).toMatchObject({ pix: 40, level: 5 });
  });

  it('reports mastery, stage, badges, strengths and weaknesses over the target', () => {
    const stages = [0, 50, 90].map((threshold) => ({
      threshold,
      title: { fr: `s${threshold}`, en: `s${threshold}` },
      message: { fr: 'm', en: 'm' },
    }));
    const badges = [
      { id: 'b0', title: { fr: 'b0', en: 'b0' }, threshold: 80, tubes: ['c11tube0'] },
      { id: 'b1', title: { fr: 'b1', en: 'b1' }, threshold: 10, tubes: ['c11tube1', 'c12tube1'] },
    ];
    const result = computeResult(
      assessment,
      [
        { challengeId: 'c11tube0-l8-0', status: 'ok' },
        { challengeId: 'c11tube1-l1-0', status: 'ko' },
        { challengeId: 'c12tube0-l7-0', status: 'ok' },
      ],
      { stages, badges },
    );
    // Target skills stop at the highest open level (7): 7 + 7 validated out of 4 tubes × 7.
    expect(result.mastery).toBeCloseTo(14 / 28);
    expect(result.masteryPercent).toBe(50);
    expect(result.stage).toMatchObject({ index: 1, threshold: 50 });
    expect(result.badges.map((b) => [b.id, b.earned])).toEqual([
      ['b0', true],
      ['b1', false],
    ]);
    expect(result.strengths).toEqual(['c11tube0', 'c12tube0']);
    expect(result.weaknesses).toEqual(['c11tube1', 'c12tube1']);
    expect(result.validatedSkills).toHaveLength(15);
    expect(result.invalidatedSkills).toHaveLength(8);
  });
});
