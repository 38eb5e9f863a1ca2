import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkAnswer } from '../../../src/assessment/checking';
import type { AnswerValue } from '../../../src/assessment/checking';
import {
  checkContent,
  formatProblem,
  toLearnerChallenge,
  toLearnerElement,
  type AcceptedValue,
  type Challenge,
  type Locale,
  type ModuleElement,
} from '../../../src/content';
import { CONTENT_DIR } from '../../../src/paths';

/** The real content/: every test here is about what the writers committed. */
const { problems, bank } = checkContent(CONTENT_DIR);

describe('the real content bank', () => {
  it('has no problem', () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('has one entry per challenge written in the files (ids are unique)', () => {
    const dir = path.join(CONTENT_DIR, 'competences');
    const ids = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.yaml'))
          .flatMap((f) => {
            const data = parse(fs.readFileSync(path.join(dir, f), 'utf8')) as {
              tubes: { skills: { challenges: { id: string }[] }[] }[];
            };
            return data.tubes.flatMap((t) => t.skills.flatMap((s) => s.challenges.map((c) => c.id)));
          })
      : [];
    expect(new Set(ids).size).toBe(ids.length);
    expect(bank?.challenges.size ?? 0).toBe(ids.length);
  });
});

const challenges = [...(bank?.challenges.values() ?? [])];
const cases = challenges.flatMap((c) => c.locales.map((locale) => [c.id, locale, c] as const));

const isNumber = (v: AcceptedValue): v is { number: number; tolerance: number } =>
  typeof v === 'object' && !Array.isArray(v) && 'number' in v;
const writeNumber = (n: number, locale: Locale) =>
  locale === 'fr' ? String(n).replace('.', ',') : String(n);
const firstVariant = (accepted: AcceptedValue, locale: Locale): string =>
  isNumber(accepted)
    ? writeNumber(accepted.number, locale)
    : Array.isArray(accepted)
      ? accepted[0]!
      : accepted[locale][0]!;

/** A right answer, as a learner would type or tick it. */
function rightAnswer(challenge: Challenge, locale: Locale): AnswerValue {
  switch (challenge.type) {
    case 'QCU':
      return { type: 'choices', ids: [challenge.solution] };
    case 'QCM':
      return { type: 'choices', ids: [...challenge.solution] };
    case 'QROCM-dep':
      return {
        type: 'fields',
        values: Object.fromEntries(
          challenge.fields.map((f, i) => [f.id, firstVariant(challenge.solution.groups[i]!, locale)]),
        ),
      };
    default:
      return {
        type: 'fields',
        values: Object.fromEntries(
          challenge.fields.map((f) => [f.id, firstVariant(challenge.solution[f.id]!, locale)]),
        ),
      };
  }
}

/** Plausible wrong answers: other choices, incomplete or padded sets, authors' wrongAnswers, numbers off. */
function wrongAnswers(challenge: Challenge, locale: Locale): AnswerValue[] {
  switch (challenge.type) {
    case 'QCU':
      return challenge.proposals
        .filter((p) => p.id !== challenge.solution)
        .map((p) => ({ type: 'choices', ids: [p.id] }));
    case 'QCM': {
      const extra = challenge.proposals.find((p) => !challenge.solution.includes(p.id))!;
      return [
        { type: 'choices', ids: challenge.solution.slice(1) },
        { type: 'choices', ids: [...challenge.solution, extra.id] },
      ];
    }
    default: {
      const right = (rightAnswer(challenge, locale) as { values: Record<string, string> }).values;
      const out: AnswerValue[] = (challenge.wrongAnswers ?? []).map((w) => ({
        type: 'fields',
        // An entry may name only the field it gets wrong: the others are right.
        values: challenge.type === 'QROCM-dep' ? w : { ...right, ...w },
      }));
      if (challenge.type !== 'QROCM-dep') {
        for (const field of challenge.fields) {
          const accepted = challenge.solution[field.id]!;
          if (isNumber(accepted)) {
            const off = writeNumber(
              accepted.number + accepted.tolerance + Math.max(1, Math.abs(accepted.number) * 0.5),
              locale,
            );
            out.push({ type: 'fields', values: { ...right, [field.id]: off } });
          }
        }
      }
      return out;
    }
  }
}

describe.each(cases)('challenge %s (%s)', (_, locale, challenge) => {
  it('accepts its own solution', () => {
    const answer = rightAnswer(challenge, locale);
    expect({ answer, status: checkAnswer(challenge, answer, locale).status }).toEqual({
      answer,
      status: 'ok',
    });
    if (challenge.type === 'QCM') {
      const shuffled: AnswerValue = { type: 'choices', ids: [...challenge.solution].reverse() };
      expect({ shuffled, status: checkAnswer(challenge, shuffled, locale).status }).toEqual({
        shuffled,
        status: 'ok',
      });
    }
  });

  it('refuses plausible wrong answers', () => {
    for (const answer of wrongAnswers(challenge, locale)) {
      expect({ answer, status: checkAnswer(challenge, answer, locale).status }).toEqual({
        answer,
        status: 'ko',
      });
    }
  });
});

// ---------- nothing secret reaches the browser ----------

const CHALLENGE_KEYS = new Set([
  'id',
  'type',
  'instruction',
  'proposals',
  'text',
  'fields',
  'label',
  'kind',
  'suffix',
  'placeholder',
  'illustration',
  'file',
  'alt',
  'attachments',
  'timer',
  'accessibility',
]);
const ELEMENT_KEYS = new Set([
  'id',
  'type',
  'content',
  'file',
  'alt',
  'caption',
  'title',
  'captions',
  'fr',
  'en',
  'transcript',
  'poster',
  'label',
  'intro',
  'cards',
  'front',
  'back',
  'instruction',
  'categories',
  'text',
  'proposals',
  'fields',
  'kind',
  'suffix',
  'placeholder',
]);

function keysAndLeaves(
  value: unknown,
  keys = new Set<string>(),
  leaves: string[] = [],
): { keys: Set<string>; leaves: string[] } {
  if (typeof value === 'string') leaves.push(value);
  else if (Array.isArray(value)) value.forEach((v) => keysAndLeaves(v, keys, leaves));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys.add(k);
      keysAndLeaves(v, keys, leaves);
    }
  }
  return { keys, leaves };
}

const variantTexts = (accepted: AcceptedValue): string[] =>
  isNumber(accepted) ? [] : Array.isArray(accepted) ? accepted : [...accepted.fr, ...accepted.en];

/**
 * Explanations and feedback must not be inside any text (short ones: not a whole text). Accepted
 * answers often appear in the question itself (the URL to read, the file list in an alt text), so
 * they must only never be a value on their own.
 */
function leaked(texts: string[], answers: string[], leaves: string[]): string[] {
  return [
    ...texts.filter((s) => leaves.some((leaf) => (s.length >= 20 ? leaf.includes(s) : leaf === s))),
    ...answers.filter((s) => leaves.includes(s)),
  ];
}

describe('learner views of the real bank', () => {
  it.each(cases)(
    'challenge %s (%s) carries no solution, explanation or wrong answer',
    (_, locale, challenge) => {
      const json = JSON.stringify(toLearnerChallenge(challenge, locale));
      const { keys, leaves } = keysAndLeaves(JSON.parse(json));
      expect([...keys].filter((k) => !CHALLENGE_KEYS.has(k))).toEqual([]);
      const answers: string[] = [];
      if (challenge.type !== 'QCU' && challenge.type !== 'QCM') {
        const accepted =
          challenge.type === 'QROCM-dep' ? challenge.solution.groups : Object.values(challenge.solution);
        answers.push(...accepted.flatMap(variantTexts));
      }
      expect(leaked([challenge.explanation.fr, challenge.explanation.en], answers, leaves)).toEqual([]);
    },
  );

  const elementCases = [...(bank?.modules.values() ?? [])].flatMap((m) =>
    m.sections.flatMap((s) =>
      s.grains.flatMap((g) =>
        g.elements.flatMap((e) => (['fr', 'en'] as const).map((l) => [m.id, e.id, l, e] as const)),
      ),
    ),
  );

  it.each(elementCases)(
    'module %s element %s (%s) carries no solution or feedback',
    (_, __, locale, element) => {
      const { keys, leaves } = keysAndLeaves(JSON.parse(JSON.stringify(toLearnerElement(element, locale))));
      expect([...keys].filter((k) => !ELEMENT_KEYS.has(k))).toEqual([]);
      const { texts, answers } = secretsOf(element);
      expect(leaked(texts, answers, leaves)).toEqual([]);
    },
  );
});

function secretsOf(element: ModuleElement): { texts: string[]; answers: string[] } {
  const both = (l: { fr: string; en: string }) => [l.fr, l.en];
  switch (element.type) {
    case 'sorter':
      return { texts: element.cards.flatMap((c) => both(c.feedback)), answers: [] };
    case 'qcu':
      return { texts: element.proposals.flatMap((p) => both(p.feedback)), answers: [] };
    case 'qcm':
      return { texts: [...both(element.feedback.valid), ...both(element.feedback.invalid)], answers: [] };
    case 'qrocm':
      return {
        texts: [...both(element.feedback.valid), ...both(element.feedback.invalid)],
        answers: Object.values(element.solution).flatMap(variantTexts),
      };
    default:
      return { texts: [], answers: [] };
  }
}
