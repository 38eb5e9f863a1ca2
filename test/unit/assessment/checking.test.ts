import { challengeSchema, type ChallengeDef, type Tolerance } from '../../../src/content/schema';
import {
  checkAnswer,
  levenshtein,
  matchesAccepted,
  normaliseForComparison,
  parseLearnerNumber,
} from '../../../src/assessment/checking';

const L = (s: string) => ({ fr: s, en: s });
const common = {
  instruction: L('instruction'),
  explanation: L('explanation'),
  estimatedSeconds: 60,
  audiences: ['college'],
};
const parse = (raw: Record<string, unknown>): ChallengeDef => challengeSchema.parse({ ...common, ...raw });
const ALL: Tolerance[] = ['T1', 'T2', 'T3'];

describe('normalisation', () => {
  it.each([
    ['Cafe\u0301', [], 'Café'], // NFD input becomes NFC
    ['  a\u00A0b\u202Fc  ', [], 'a b c'],
    ['Élève Noté', ['T1'], 'elevenote'],
    ["l'ordinateur, vite !", ['T2'], 'lordinateur vite'],
    ["L'Été - 2024 !", ['T1', 'T2'], 'lete2024'],
  ] as [string, Tolerance[], string][])('%j under %j gives %j', (input, tolerances, expected) => {
    expect(normaliseForComparison(input, tolerances)).toBe(expected);
  });
});

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['chat', 'chats', 1],
    ['kitten', 'sitting', 3],
    ['été', 'ete', 2],
  ])('%j ↔ %j = %i', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});

describe('parseLearnerNumber', () => {
  it.each([
    ['3,5', 3.5],
    ['3.5', 3.5],
    ['3 500', 3500],
    ['3\u00A0500', 3500],
    ['3\u202F500', 3500],
    ['1 234,5', 1234.5],
    ['1,234.5', 1234.5],
    ['1.234,5', 1234.5],
    ['1,000,000', 1000000],
    ['-2', -2],
    ['\u22122', -2],
    ['+4', 4],
    ['.5', 0.5],
    ['15', 15],
  ])('reads %j as %d', (raw, value) => expect(parseLearnerNumber(raw)).toBe(value));

  it.each(['', ' ', 'abc', '15 ans', '3,5,5.1', '1..2', '--1', '12abc', '1 2', '12 34', '1,23,456'])(
    'refuses %j',
    (raw) => {
      expect(parseLearnerNumber(raw)).toBeUndefined();
    },
  );
});

describe('matchesAccepted on text', () => {
  it.each([
    // [input, variants, tolerances, expected]
    ['éléphant', ['elephant'], ALL, true],
    ['ÉLÉPHANT', ['éléphant'], ['T1'], true],
    ['ÉLÉPHANT', ['éléphant'], [], false],
    ['Éléphant', ['Éléphant'], [], true],
    ['Cafe\u0301', ['Café'], [], true],
    ['mot\u00A0de\u00A0passe', ['mot de passe'], [], true],
    ['motdepasse', ['mot de passe'], ['T1'], true],
    ['motdepasse', ['mot de passe'], [], false],
    ['mot-de-passe!', ['mot de passe'], ['T1', 'T2'], true],
    ['mot-de-passe!', ['mot de passe'], ['T1'], false],
    // T3: distance / answer length <= 0.25, at the limit and just beyond.
    ['abcx', ['abcd'], ['T3'], true], // 1/4 = 0.25
    ['abx', ['abc'], ['T3'], false], // 1/3
    ['navigatuer', ['navigateur'], ['T3'], true], // 2/10
    ['navigtuer', ['navigateur'], ['T3'], false], // 3/9
    ['navigatuer', ['navigateur'], ['T1', 'T2'], false],
    ['', ['x'], ALL, false],
    ['   ', ['x'], ALL, false],
    ['!!!', ['?'], ALL, false], // both sides vanish under T2: not a match
    ['firefox', ['Chrome', 'Firefox'], ALL, true],
  ] as [string, string[], Tolerance[], boolean][])(
    '%j vs %j with %j → %s',
    (input, variants, tolerances, expected) => {
      expect(matchesAccepted(input, variants, tolerances, 'fr')).toBe(expected);
    },
  );

  it('uses the variants of the learner’s language', () => {
    const accepted = { fr: ['souris'], en: ['mouse'] };
    expect(matchesAccepted('souris', accepted, ALL, 'fr')).toBe(true);
    expect(matchesAccepted('souris', accepted, ALL, 'en')).toBe(false);
    expect(matchesAccepted('Mouse', accepted, ALL, 'en')).toBe(true);
  });
});

describe('matchesAccepted on numbers', () => {
  it.each([
    ['3,5', { number: 3.5, tolerance: 0 }, true],
    ['3.5', { number: 3.5, tolerance: 0 }, true],
    ['3.50', { number: 3.5, tolerance: 0 }, true],
    ['3,6', { number: 3.5, tolerance: 0 }, false],
    ['3,6', { number: 3.5, tolerance: 0.1 }, true],
    ['3,7', { number: 3.5, tolerance: 0.1 }, false],
    ['3 500', { number: 3500, tolerance: 0 }, true],
    ['3\u00A0500', { number: 3500, tolerance: 0 }, true],
    ['0.3', { number: 0.1 + 0.2, tolerance: 0 }, true],
    ['15 ans', { number: 15, tolerance: 0 }, false],
    ['', { number: 0, tolerance: 0 }, false],
  ])('%j vs %j → %s', (input, accepted, expected) => {
    expect(matchesAccepted(input, accepted, ALL, 'fr')).toBe(expected);
  });

  it('compares number fields numerically even when variants are written as text', () => {
    expect(matchesAccepted('3,50', ['3.5'], [], 'fr', { numeric: true })).toBe(true);
    expect(matchesAccepted('3,50', ['3.5'], [], 'fr')).toBe(false);
    // T3 must not let a close-but-different number through a number field.
    expect(matchesAccepted('1234', ['1235'], ALL, 'fr', { numeric: true })).toBe(false);
  });
});

describe('checkAnswer', () => {
  const qcu = parse({
    id: 'qcu',
    type: 'QCU',
    proposals: [
      { id: 'a', text: L('A') },
      { id: 'b', text: L('B') },
    ],
    solution: 'b',
  });
  const qcm = parse({
    id: 'qcm',
    type: 'QCM',
    proposals: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: L(id) })),
    solution: ['a', 'c'],
  });

  it.each([
    [qcu, { type: 'choices', ids: ['b'] }, 'ok'],
    [qcu, { type: 'choices', ids: ['a'] }, 'ko'],
    [qcu, { type: 'choices', ids: [] }, 'ko'],
    [qcu, { type: 'choices', ids: ['a', 'b'] }, 'ko'],
    [qcu, { type: 'fields', values: { x: 'b' } }, 'ko'],
    [qcm, { type: 'choices', ids: ['a', 'c'] }, 'ok'],
    [qcm, { type: 'choices', ids: ['c', 'a'] }, 'ok'],
    [qcm, { type: 'choices', ids: ['c', 'a', 'a'] }, 'ok'],
    [qcm, { type: 'choices', ids: ['a'] }, 'ko'],
    [qcm, { type: 'choices', ids: ['a', 'c', 'd'] }, 'ko'],
    [qcm, { type: 'choices', ids: [] }, 'ko'],
  ] as const)('%#: %j', (challenge, answer, status) => {
    expect(checkAnswer(challenge, answer as never, 'fr').status).toBe(status);
  });

  const qroc = parse({
    id: 'qroc',
    type: 'QROC',
    fields: [{ id: 'age', label: L('Âge'), kind: 'number' }],
    solution: { age: { number: 15, tolerance: 0 } },
  });
  it('checks a QROC number field and reports it', () => {
    expect(checkAnswer(qroc, { type: 'fields', values: { age: '15' } }, 'fr')).toEqual({
      status: 'ok',
      fields: { age: true },
    });
    expect(checkAnswer(qroc, { type: 'fields', values: { age: '16' } }, 'fr')).toEqual({
      status: 'ko',
      fields: { age: false },
    });
    expect(checkAnswer(qroc, { type: 'fields', values: {} }, 'fr').status).toBe('ko');
    expect(checkAnswer(qroc, { type: 'choices', ids: ['15'] }, 'fr')).toEqual({
      status: 'ko',
      fields: { age: false },
    });
  });

  it('honours tolerances switched off per challenge', () => {
    const strict = parse({
      id: 'strict',
      type: 'QROC',
      fields: [{ id: 'x', label: L('x') }],
      solution: { x: ['Wi-Fi'] },
      tolerances: ['T1'],
    });
    expect(checkAnswer(strict, { type: 'fields', values: { x: 'wi-fi' } }, 'fr').status).toBe('ok');
    expect(checkAnswer(strict, { type: 'fields', values: { x: 'wifi' } }, 'fr').status).toBe('ko');
    expect(checkAnswer(strict, { type: 'fields', values: { x: 'wi-fu' } }, 'fr').status).toBe('ko');
  });

  const ind = parse({
    id: 'ind',
    type: 'QROCM-ind',
    fields: [
      { id: 'city', label: L('Ville') },
      { id: 'year', label: L('Année'), kind: 'number' },
    ],
    solution: { city: ['Paris'], year: ['2023'] },
  });
  it('gives per-field details for QROCM-ind', () => {
    expect(checkAnswer(ind, { type: 'fields', values: { city: 'paris', year: '2023' } }, 'fr')).toEqual({
      status: 'ok',
      fields: { city: true, year: true },
    });
    expect(checkAnswer(ind, { type: 'fields', values: { city: 'Lyon', year: '2 023' } }, 'fr')).toEqual({
      status: 'ko',
      fields: { city: false, year: true },
    });
  });

  const dep = parse({
    id: 'dep',
    type: 'QROCM-dep',
    fields: [
      { id: 'b1', label: L('1') },
      { id: 'b2', label: L('2') },
    ],
    solution: { groups: [['Firefox', 'Mozilla Firefox'], ['Chrome', 'Google Chrome'], ['Safari']] },
  });
  it.each([
    [{ b1: 'firefox', b2: 'chrome' }, 'ok', { b1: true, b2: true }],
    [{ b1: 'Google Chrome', b2: 'Firefox' }, 'ok', { b1: true, b2: true }],
    [{ b1: 'safari', b2: 'chrome' }, 'ok', { b1: true, b2: true }],
    // The same group twice, even through two of its variants, counts once.
    [{ b1: 'firefox', b2: 'firefox' }, 'ko', { b1: true, b2: false }],
    [{ b1: 'Firefox', b2: 'Mozilla Firefox' }, 'ko', { b1: true, b2: false }],
    [{ b1: 'firefox', b2: '' }, 'ko', { b1: true, b2: false }],
    [{ b1: 'opera', b2: 'edge' }, 'ko', { b1: false, b2: false }],
  ])('QROCM-dep %j → %s', (values, status, fields) => {
    expect(checkAnswer(dep, { type: 'fields', values }, 'fr')).toEqual({ status, fields });
  });

  it('QROCM-dep finds the assignment that satisfies every field when one exists', () => {
    // b1 could match group A or B, b2 only A: a greedy first-fit would give A to b1 and fail b2.
    const tricky = parse({
      id: 'tricky',
      type: 'QROCM-dep',
      fields: [
        { id: 'b1', label: L('1') },
        { id: 'b2', label: L('2') },
      ],
      solution: {
        groups: [
          ['courriel', 'mail'],
          ['mail', 'email'],
        ],
      },
      tolerances: [],
    });
    expect(checkAnswer(tricky, { type: 'fields', values: { b1: 'mail', b2: 'courriel' } }, 'fr').status).toBe(
      'ok',
    );
    expect(checkAnswer(tricky, { type: 'fields', values: { b1: 'mail', b2: 'mail' } }, 'fr').status).toBe(
      'ok',
    );
    expect(
      checkAnswer(tricky, { type: 'fields', values: { b1: 'courriel', b2: 'courriel' } }, 'fr').status,
    ).toBe('ko');
  });
});

describe('units the page already shows after a field', () => {
  const euros = {
    id: 'c-euros',
    type: 'QROC' as const,
    instruction: { fr: 'Total ?', en: 'Total?' },
    explanation: { fr: 'x', en: 'x' },
    estimatedSeconds: 30,
    audiences: ['adultes' as const],
    tolerances: ['T1' as const, 'T2' as const, 'T3' as const],
    locales: ['fr' as const, 'en' as const],
    fields: [
      {
        id: 'total',
        label: { fr: 'Total', en: 'Total' },
        kind: 'number' as const,
        suffix: { fr: '€', en: '€' },
      },
    ],
    solution: { total: { number: 443.9, tolerance: 0 } },
  };
  const check = (v: string) => checkAnswer(euros, { type: 'fields', values: { total: v } }, 'fr').status;

  it.each(['443,90 €', '443,90\u00a0€', '443.9€', '443,9 €', '443,90'])('accepts %p', (v) =>
    expect(check(v)).toBe('ok'),
  );
  it.each(['€', '443 €', '44,39 €', '443,90 $'])('refuses %p', (v) => expect(check(v)).toBe('ko'));
});
