import type { Challenge } from '../content/bank';
import type { Algorithm } from '../content/schema';
import { fixedSequence } from './algorithms/fixed';
import { irtSelector } from './algorithms/irt';
import { plainRandom } from './algorithms/random';
import { smartRandom } from './algorithms/smart-random';
import type { Selector } from './algorithms/context';
import type { Assessment } from './assessment';
import { RANDOM_DEFAULT_PER_COMPETENCE } from './constants';
import { replayKnowledge, resolveAnswers, type Knowledge, type ResolvedAnswer } from './knowledge';
import { resumeFrom } from './replay';
import { deriveSeed, seededRandom } from './random';
import type { StoredAnswer } from './types';

const SELECTORS: Record<Algorithm, Selector> = {
  irt: irtSelector,
  'smart-random': smartRandom,
  fixed: fixedSequence,
  random: plainRandom,
};

export type NextStep =
  | { done: false; challenge: Challenge; /** 1-based position of this challenge. */ index: number }
  | { done: true; reason: 'max-length' | 'completed' };

/** The most challenges this assessment may ask. */
export function maxLength(assessment: Assessment): number {
  const { config, settings, competenceIds } = assessment;
  if (config.maxChallenges !== undefined) return config.maxChallenges;
  switch (config.algorithm) {
    case 'irt':
      return settings.irt.maxPerCompetence * competenceIds.length;
    case 'random':
      return RANDOM_DEFAULT_PER_COMPETENCE * competenceIds.length;
    case 'fixed':
      return config.sequence?.length ?? 0;
    case 'smart-random':
      return Number.POSITIVE_INFINITY;
  }
}

/**
 * Direct and inferred knowledge for the selectors, extended in place when the answers extend the
 * previous request's (the map is the assessment's cache: selectors read it during the call only).
 */
function selectionKnowledge(assessment: Assessment, resolved: readonly ResolvedAnswer[]): Knowledge {
  const { index } = assessment;
  const start = resumeFrom(index.knowledgeReplayed, resolved);
  if (start === -1) index.knowledge.clear();
  return replayKnowledge(assessment.bank, index.knowledge, resolved, Math.max(0, start));
}

/**
 * The next challenge, rebuilt from the stored answers alone. The randomness for the n-th choice is
 * derived from (seed, n), so asking again after a crash returns the same challenge.
 */
export function nextChallenge(assessment: Assessment, answers: readonly StoredAnswer[]): NextStep {
  if (answers.length >= maxLength(assessment)) return { done: true, reason: 'max-length' };
  const resolved = resolveAnswers(assessment.bank, answers);
  let knowledge: Knowledge | undefined;
  const challenge = SELECTORS[assessment.config.algorithm]({
    assessment,
    answers: resolved,
    used: new Set(answers.map((a) => a.challengeId)),
    // Only the algorithms that read it pay for the inference.
    get knowledge() {
      knowledge ??= selectionKnowledge(assessment, resolved);
      return knowledge;
    },
    random: seededRandom(deriveSeed(assessment.config.seed, answers.length)),
  });
  return challenge
    ? { done: false, challenge, index: answers.length + 1 }
    : { done: true, reason: 'completed' };
}

export function isFinished(assessment: Assessment, answers: readonly StoredAnswer[]): boolean {
  return nextChallenge(assessment, answers).done;
}
