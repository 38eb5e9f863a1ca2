import { assessmentConfigForStep, startAssessment } from '../../../src/assessment';
import { loadContent } from '../../../src/content';
import { maxPixOf } from '../../../src/learning/activity';
import {
  codeFromBytes,
  initialsOf,
  resolveActivity,
  ATTESTATION_CODE_PATTERN,
  checkElement,
} from '../../../src/learning';
import { textBlocks } from '../../../src/web/learner/text';
import { parseAnswerForm, parseElementForm } from '../../../src/web/learner/forms';
import { testContent } from '../../support/app';
import type { ModuleElement } from '../../../src/content/schema';

describe('attestation codes and holders', () => {
  it('codes are 3 groups of 4 unambiguous characters, whatever the bytes', () => {
    for (const fill of [0, 7, 255]) {
      expect(codeFromBytes(new Uint8Array(12).fill(fill))).toMatch(ATTESTATION_CODE_PATTERN);
    }
    expect(codeFromBytes(new Uint8Array(12).fill(0))).toBe('AAAA-AAAA-AAAA');
    expect(codeFromBytes(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))).toBe('ABCD-EFGH-JKMN');
  });
  it('the public page shows initials only', () => {
    expect(initialsOf('Léa Martin')).toBe('L. M.');
    expect(initialsOf('jean-pierre  dupont')).toBe('J. P. D.');
    expect(initialsOf(null)).toBeNull();
    expect(initialsOf('  ')).toBeNull();
  });
});

describe('custom activity=', () => {
  const bank = testContent();
  it('names a parcours or a module, with or without a kind prefix', () => {
    expect(resolveActivity(bank, 'rentree-6e')).toEqual({ kind: 'parcours', id: 'rentree-6e' });
    expect(resolveActivity(bank, ' parcours:rentree-6e ')).toEqual({ kind: 'parcours', id: 'rentree-6e' });
    expect(resolveActivity(bank, 'mots-de-passe-solides')).toEqual({
      kind: 'module',
      id: 'mots-de-passe-solides',
    });
    expect(resolveActivity(bank, 'module:rentree-6e')).toBeUndefined();
    expect(resolveActivity(bank, 'unknown')).toBeUndefined();
    expect(resolveActivity(bank, '')).toBeUndefined();
  });
});

describe('content text to blocks', () => {
  it('splits paragraphs on blank lines and reads "- " lines as a list', () => {
    expect(textBlocks('Un\ndeux\n\n- a\n- b\n\nfin')).toEqual([
      { paragraph: 'Un deux' },
      { list: ['a', 'b'] },
      { paragraph: 'fin' },
    ]);
  });
});

describe('forms', () => {
  it('reads choices, fields and skip from the runner form', () => {
    expect(parseAnswerForm({ challengeId: 'c1', choice: ['a', 'b'] })).toEqual({
      challengeId: 'c1',
      value: { type: 'choices', ids: ['a', 'b'] },
    });
    expect(parseAnswerForm({ challengeId: 'c1', 'field.n': '4' })).toEqual({
      challengeId: 'c1',
      value: { type: 'fields', values: { n: '4' } },
    });
    expect(parseAnswerForm({ challengeId: 'c1', skip: '1', choice: 'a' })).toEqual({
      challengeId: 'c1',
      skip: true,
    });
    expect(parseAnswerForm({ choice: 'a' })).toBeUndefined();
  });
  it('reads a sorter element form', () => {
    expect(parseElementForm({ element: 'e', kind: 'sorter', 'card.x': 'left', 'card.y': 'right' })).toEqual({
      elementId: 'e',
      submission: { kind: 'sorter', cards: { x: 'left', y: 'right' } },
    });
  });
});

describe('module elements are checked on the server', () => {
  const elements = [...testContent().modules.values()]
    .flatMap((m) => m.sections)
    .flatMap((s) => s.grains)
    .flatMap((g) => g.elements);
  const first = <T extends ModuleElement['type']>(type: T) =>
    elements.find((e) => e.type === type) as Extract<ModuleElement, { type: T }>;

  it('qcu: the solution only', () => {
    const e = first('qcu');
    expect(checkElement(e, { kind: 'qcu', choice: e.solution }, 'fr')).toEqual({ correct: true });
    const other = e.proposals.find((p) => p.id !== e.solution)!.id;
    expect(checkElement(e, { kind: 'qcu', choice: other }, 'fr')).toEqual({ correct: false });
  });
  it('qcm: exactly the solution set, in any order', () => {
    const e = first('qcm');
    expect(checkElement(e, { kind: 'qcm', choices: [...e.solution].reverse() }, 'fr')?.correct).toBe(true);
    expect(checkElement(e, { kind: 'qcm', choices: e.solution.slice(1) }, 'fr')?.correct).toBe(false);
  });
  it('sorter: per card, all right for the element to be right', () => {
    const e = first('sorter');
    const right = Object.fromEntries(e.cards.map((c) => [c.id, c.category]));
    expect(checkElement(e, { kind: 'sorter', cards: right }, 'fr')?.correct).toBe(true);
    const wrongCategory = e.categories.find((c) => c.id !== e.cards[0]!.category)!.id;
    const oneWrong = { ...right, [e.cards[0]!.id]: wrongCategory };
    const checked = checkElement(e, { kind: 'sorter', cards: oneWrong }, 'fr')!;
    expect(checked.correct).toBe(false);
    expect(checked.parts![e.cards[0]!.id]).toBe(false);
    expect(checked.parts![e.cards[1]!.id]).toBe(true);
  });
  it('a submission of another kind is refused', () => {
    expect(checkElement(first('qcu'), { kind: 'qcm', choices: [] }, 'fr')).toBeUndefined();
  });
});

describe('the most pix an activity can give', () => {
  it('is 56 per competence (level 7) on the full 16-competence self-assessment, as a perfect learner scores', () => {
    const bank = loadContent();
    const parcours = bank.parcours.get('auto-positionnement-16')!;
    const step = parcours.steps.find((s) => s.type === 'assessment')!;
    if (step.type !== 'assessment') throw new Error('no assessment step');
    const assessment = startAssessment(
      bank,
      assessmentConfigForStep(parcours, step, { seed: 0, locale: 'fr' }),
    );
    expect(maxPixOf(assessment)).toBe(16 * 56);
  });
});
