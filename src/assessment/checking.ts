import type { AcceptedValue, ChallengeDef, Locale, Tolerance } from '../content/schema';
import type { AnswerValue, CheckResult } from './types';

export type { AnswerValue, CheckResult } from './types';

/** T3 accepts an answer whose edit distance to a variant is at most this share of the answer's length. */
export const T3_MAX_RATIO = 0.25;

export interface MatchOptions {
  /**
   * Compare as numbers when both sides read as numbers (number fields). A solution written as
   * `{ number, tolerance }` is always compared as a number, whatever the field kind.
   */
  numeric?: boolean;
}

// ---------- normalisation ----------

// U+00A0 no-break space, U+2007 figure space, U+202F narrow no-break space (French typography).
const NON_BREAKING_SPACES = /[\u00A0\u2007\u202F]/g;
const PUNCTUATION = /\p{P}/gu;
const COMBINING_MARKS = /\p{M}/gu;

/** Applied to every input and every variant before anything else. */
export function baseNormalise(value: string): string {
  return value.normalize('NFC').replace(NON_BREAKING_SPACES, ' ').replace(/\s+/g, ' ').trim();
}

/** The comparison form of a string under the active tolerances (T2 then T1; T3 is a distance). */
export function normaliseForComparison(value: string, tolerances: readonly Tolerance[]): string {
  let out = baseNormalise(value);
  if (tolerances.includes('T2')) out = out.replace(PUNCTUATION, '').replace(/\s+/g, ' ').trim();
  if (tolerances.includes('T1')) {
    out = out
      .toLowerCase()
      .normalize('NFD')
      .replace(COMBINING_MARKS, '')
      .normalize('NFC')
      .replace(/\s+/g, '');
  }
  return out;
}

/** Edit distance over code points (so an accented letter counts as one character). */
export function levenshtein(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  let current = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[t.length]!;
}

// ---------- numbers ----------

/**
 * Reads what a learner types for a number: `3,5`, `3.5`, `3 500`, `3 500` (no-break space), `-2`,
 * `1,234.5`, `1.234,5`. A lone comma is a decimal separator (French habit); when both `,` and `.` appear
 * the last one is the decimal separator; thousands separators (space, `'`, or a repeated `,`/`.`) must
 * split the integer part in groups of three. Returns undefined for anything else (units, words), so
 * "15 ans" is not silently read as 15.
 */
export function parseLearnerNumber(raw: string): number | undefined {
  const s = baseNormalise(raw).replace(/\u2212/g, '-');
  const match = /^([+-]?)([\d\s',.]*\d[\d\s',.]*|[\d\s',.]*)$/.exec(s);
  if (!match || s === '') return undefined;
  const sign = match[1]!;
  let body = match[2]!;
  const commas = (body.match(/,/g) ?? []).length;
  const dots = (body.match(/\./g) ?? []).length;
  let decimal: ',' | '.' | undefined;
  if (commas > 0 && dots > 0) decimal = body.lastIndexOf(',') > body.lastIndexOf('.') ? ',' : '.';
  else if (commas === 1) decimal = ',';
  else if (dots === 1) decimal = '.';
  let fraction = '';
  if (decimal !== undefined) {
    const at = body.lastIndexOf(decimal);
    fraction = body.slice(at + 1);
    body = body.slice(0, at);
    if (!/^\d+$/.test(fraction) && !(fraction === '' && /\d$/.test(body))) return undefined;
  }
  const grouping = /^\d{1,3}([\s',.])\d{3}(\1\d{3})*$/;
  if (/^\d+$/.test(body) || (body === '' && fraction !== '')) {
    // plain integer part
  } else if (!grouping.test(body)) {
    return undefined;
  }
  const value = Number(`${sign}${body.replace(/\D/g, '') || '0'}.${fraction || '0'}`);
  return Number.isFinite(value) ? value : undefined;
}

// Floating-point slack so that 0.1 + 0.2 style representations do not fail an exact solution.
const NUMERIC_EPSILON = 1e-9;

function isAcceptedNumber(accepted: AcceptedValue): accepted is { number: number; tolerance: number } {
  return !Array.isArray(accepted) && 'number' in accepted;
}

/** The text variants for a locale (variants may be shared or given per language). */
export function variantsFor(accepted: AcceptedValue, locale: Locale): readonly string[] {
  if (isAcceptedNumber(accepted)) return [String(accepted.number)];
  if (Array.isArray(accepted)) return accepted;
  return (accepted as { fr: string[]; en: string[] })[locale];
}

// ---------- matching one field ----------

function textMatches(input: string, variant: string, tolerances: readonly Tolerance[]): boolean {
  const answer = normaliseForComparison(input, tolerances);
  const expected = normaliseForComparison(variant, tolerances);
  if (answer === '' || expected === '') return false;
  if (answer === expected) return true;
  if (!tolerances.includes('T3')) return false;
  return levenshtein(answer, expected) / Array.from(answer).length <= T3_MAX_RATIO;
}

/**
 * Does one free-text input match one accepted value? Used for challenge fields and for the qrocm
 * elements of modules. An empty input never matches.
 */
export function matchesAccepted(
  input: string,
  accepted: AcceptedValue,
  tolerances: readonly Tolerance[],
  locale: Locale,
  options: MatchOptions = {},
): boolean {
  if (baseNormalise(input) === '') return false;
  if (isAcceptedNumber(accepted)) {
    const value = parseLearnerNumber(input);
    return value !== undefined && Math.abs(value - accepted.number) <= accepted.tolerance + NUMERIC_EPSILON;
  }
  const variants = variantsFor(accepted, locale);
  if (options.numeric) {
    const value = parseLearnerNumber(input);
    for (const variant of variants) {
      const expected = parseLearnerNumber(variant);
      if (expected === undefined) {
        if (textMatches(input, variant, tolerances)) return true;
      } else if (value !== undefined && Math.abs(value - expected) <= NUMERIC_EPSILON) {
        return true;
      }
    }
    return false;
  }
  return variants.some((variant) => textMatches(input, variant, tolerances));
}

// ---------- whole challenges ----------

type FieldChallenge = Extract<ChallengeDef, { type: 'QROC' | 'QROCM-ind' | 'QROCM-dep' }>;

const KO: CheckResult = { status: 'ko' };

function fieldResult(fields: Record<string, boolean>): CheckResult {
  const status = Object.values(fields).every(Boolean) ? 'ok' : 'ko';
  return { status, fields };
}

function checkIndependentFields(
  challenge: Extract<ChallengeDef, { type: 'QROC' | 'QROCM-ind' }>,
  values: Record<string, string>,
  locale: Locale,
): CheckResult {
  const fields: Record<string, boolean> = {};
  for (const field of challenge.fields) {
    const accepted = challenge.solution[field.id];
    const input = values[field.id] ?? '';
    fields[field.id] =
      accepted !== undefined &&
      matchesAccepted(input, accepted, challenge.tolerances, locale, { numeric: field.kind === 'number' });
  }
  return fieldResult(fields);
}

/**
 * QROCM-dep: fields are interchangeable and each accepted group may be used once. A maximum bipartite
 * matching (fields ↔ groups) decides which fields count, so the order in which the learner typed the
 * answers never matters and the same answer typed twice counts once.
 */
function checkDependentFields(
  challenge: Extract<ChallengeDef, { type: 'QROCM-dep' }>,
  values: Record<string, string>,
  locale: Locale,
): CheckResult {
  const groups = challenge.solution.groups;
  const edges = challenge.fields.map((field) =>
    groups.flatMap((group, g) =>
      matchesAccepted(values[field.id] ?? '', group, challenge.tolerances, locale, {
        numeric: field.kind === 'number',
      })
        ? [g]
        : [],
    ),
  );
  const groupOwner = new Array<number>(groups.length).fill(-1);
  const assign = (f: number, seen: boolean[]): boolean => {
    for (const g of edges[f]!) {
      if (seen[g]) continue;
      seen[g] = true;
      if (groupOwner[g] === -1 || assign(groupOwner[g]!, seen)) {
        groupOwner[g] = f;
        return true;
      }
    }
    return false;
  };
  challenge.fields.forEach((_, f) => assign(f, new Array<boolean>(groups.length).fill(false)));
  const matched = new Set(groupOwner.filter((f) => f >= 0));
  const fields: Record<string, boolean> = {};
  challenge.fields.forEach((field, f) => {
    fields[field.id] = matched.has(f);
  });
  return fieldResult(fields);
}

function checkFields(challenge: FieldChallenge, values: Record<string, string>, locale: Locale): CheckResult {
  const typed = withoutShownUnits(challenge, values);
  return challenge.type === 'QROCM-dep'
    ? checkDependentFields(challenge, typed, locale)
    : checkIndependentFields(challenge, typed, locale);
}

/**
 * A learner may type the unit the page already shows after the field ("443,90 €" where the field
 * says €): the unit is dropped before comparing, so the answer is judged on its value alone.
 */
function withoutShownUnits(
  challenge: FieldChallenge,
  values: Record<string, string>,
): Record<string, string> {
  const out = { ...values };
  for (const field of challenge.fields) {
    const raw = out[field.id];
    if (!field.suffix || typeof raw !== 'string') continue;
    const typed = baseNormalise(raw).trim();
    for (const unit of new Set([field.suffix.fr, field.suffix.en].map((u) => baseNormalise(u).trim()))) {
      if (unit && typed.length > unit.length && typed.toLowerCase().endsWith(unit.toLowerCase())) {
        out[field.id] = typed.slice(0, -unit.length).trim();
        break;
      }
    }
  }
  return out;
}

/**
 * Checks an answer against a challenge's solution, on the server only. An answer of the wrong shape
 * (choices for a free-text challenge, or the reverse) is simply wrong: the caller validated its
 * shape with `answerValueSchema`, not its fit.
 */
export function checkAnswer(challenge: ChallengeDef, answer: AnswerValue, locale: Locale): CheckResult {
  switch (challenge.type) {
    case 'QCU':
      if (answer.type !== 'choices') return KO;
      return answer.ids.length === 1 && answer.ids[0] === challenge.solution ? { status: 'ok' } : KO;
    case 'QCM': {
      if (answer.type !== 'choices') return KO;
      const chosen = new Set(answer.ids);
      const expected = new Set(challenge.solution);
      const same = chosen.size === expected.size && [...chosen].every((id) => expected.has(id));
      return same ? { status: 'ok' } : KO;
    }
    case 'QROC':
    case 'QROCM-ind':
    case 'QROCM-dep':
      if (answer.type !== 'fields') {
        return { status: 'ko', fields: Object.fromEntries(challenge.fields.map((f) => [f.id, false])) };
      }
      return checkFields(challenge, answer.values, locale);
  }
}
