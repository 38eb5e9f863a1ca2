import type { Challenge, ContentBank } from '../content/bank';
import type { StoredAnswer } from './types';

export type SkillSource = 'direct' | 'inferred' | 'estimated';
export interface SkillKnowledge {
  status: 'validated' | 'invalidated';
  source: SkillSource;
}
export type Knowledge = Map<string, SkillKnowledge>;

export interface ResolvedAnswer {
  challenge: Challenge;
  /** Only `ok` is a success: ko, skipped and timed out all count as failures. */
  correct: boolean;
}

/** Answers to challenges the bank no longer has are dropped (content changed under an attempt). */
export function resolveAnswers(bank: ContentBank, answers: readonly StoredAnswer[]): ResolvedAnswer[] {
  const resolved: ResolvedAnswer[] = [];
  for (const answer of answers) {
    const challenge = bank.challenges.get(answer.challengeId);
    if (challenge) resolved.push({ challenge, correct: answer.status === 'ok' });
  }
  return resolved;
}

/**
 * Direct results and inference inside a tube, replayed in answer order: a right answer validates every
 * easier skill of its tube that has no direct result, a wrong one invalidates every harder one. The
 * latest evidence wins, for direct results (a skill answered twice) as for inferences.
 */
const DIRECT_RIGHT: SkillKnowledge = Object.freeze({ status: 'validated', source: 'direct' });
const DIRECT_WRONG: SkillKnowledge = Object.freeze({ status: 'invalidated', source: 'direct' });
const INFERRED_RIGHT: SkillKnowledge = Object.freeze({ status: 'validated', source: 'inferred' });
const INFERRED_WRONG: SkillKnowledge = Object.freeze({ status: 'invalidated', source: 'inferred' });

export function inferKnowledge(bank: ContentBank, answers: readonly ResolvedAnswer[]): Knowledge {
  return replayKnowledge(bank, new Map(), answers, 0);
}

/** Applies answers[start..] to `knowledge` (which holds the effect of the ones before), in place. */
export function replayKnowledge(
  bank: ContentBank,
  knowledge: Knowledge,
  answers: readonly ResolvedAnswer[],
  start: number,
): Knowledge {
  for (let i = start; i < answers.length; i++) {
    const { challenge, correct } = answers[i]!;
    knowledge.set(challenge.skillId, correct ? DIRECT_RIGHT : DIRECT_WRONG);
    const tube = bank.tubes.get(challenge.tubeId);
    if (!tube) continue;
    for (const skill of tube.skills) {
      const easier = skill.level < challenge.level;
      if (correct ? !easier : easier || skill.level === challenge.level) continue;
      if (knowledge.get(skill.id)?.source === 'direct') continue;
      knowledge.set(skill.id, correct ? INFERRED_RIGHT : INFERRED_WRONG);
    }
  }
  return knowledge;
}
