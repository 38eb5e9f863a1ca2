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
export function inferKnowledge(bank: ContentBank, answers: readonly ResolvedAnswer[]): Knowledge {
  const knowledge: Knowledge = new Map();
  for (const { challenge, correct } of answers) {
    knowledge.set(challenge.skillId, { status: correct ? 'validated' : 'invalidated', source: 'direct' });
    const tube = bank.tubes.get(challenge.tubeId);
    if (!tube) continue;
    for (const skill of tube.skills) {
      const easier = skill.level < challenge.level;
      if (correct ? !easier : easier || skill.level === challenge.level) continue;
      if (knowledge.get(skill.id)?.source === 'direct') continue;
      knowledge.set(skill.id, { status: correct ? 'validated' : 'invalidated', source: 'inferred' });
    }
  }
  return knowledge;
}
