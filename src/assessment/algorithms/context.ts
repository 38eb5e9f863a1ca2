import type { Challenge } from '../../content/bank';
import type { Assessment } from '../assessment';
import type { Knowledge, ResolvedAnswer } from '../knowledge';
import { pickOne, type Random } from '../random';

/** Everything an algorithm may look at: the assessment and what the stored answers say. Never the truth. */
export interface SelectionContext {
  assessment: Assessment;
  answers: readonly ResolvedAnswer[];
  /** Every challenge already asked, including ones the bank no longer has: never ask twice. */
  used: ReadonlySet<string>;
  knowledge: Knowledge;
  random: Random;
}

/** undefined = the algorithm has nothing more to ask. */
export type Selector = (context: SelectionContext) => Challenge | undefined;

export function lastWasTimed(context: SelectionContext): boolean {
  const last = context.answers[context.answers.length - 1];
  return last !== undefined && last.challenge.timer !== undefined;
}

/** Unused proposable challenges of a skill, untimed ones only when the previous challenge was timed. */
export function freshChallenges(
  context: SelectionContext,
  skillId: string,
  avoidTimed: boolean,
): Challenge[] {
  const all = (context.assessment.candidatesBySkill.get(skillId) ?? []).filter(
    (c) => !context.used.has(c.id),
  );
  if (!avoidTimed) return all;
  return all.filter((c) => c.timer === undefined);
}

/** A fresh challenge of the skill, untimed when possible after a timed one. */
export function pickChallenge(
  context: SelectionContext,
  skillId: string,
  avoidTimed: boolean,
): Challenge | undefined {
  const preferred = freshChallenges(context, skillId, avoidTimed);
  return pickOne(context.random, preferred.length > 0 ? preferred : freshChallenges(context, skillId, false));
}
