import type { ResolvedAnswer } from './knowledge';

/**
 * The answers a cache was last brought up to date with. State is always rebuilt from stored answers;
 * a cache only avoids redoing the same arithmetic when a request's answers extend the previous ones.
 */
export interface Replayed {
  ids: string[];
  correct: boolean[];
}

/**
 * Where to resume: the number of answers already applied when `answers` extends what was replayed,
 * or -1 when it does not (start again from nothing). Either way `replayed` then records `answers`.
 */
export function resumeFrom(replayed: Replayed, answers: readonly ResolvedAnswer[]): number {
  let start = replayed.ids.length <= answers.length ? replayed.ids.length : -1;
  for (let i = 0; i < start; i++) {
    if (replayed.ids[i] !== answers[i]!.challenge.id || replayed.correct[i] !== answers[i]!.correct)
      start = -1;
  }
  if (start === -1) {
    replayed.ids.length = 0;
    replayed.correct.length = 0;
  }
  for (let i = Math.max(0, start); i < answers.length; i++) {
    replayed.ids.push(answers[i]!.challenge.id);
    replayed.correct.push(answers[i]!.correct);
  }
  return start;
}
