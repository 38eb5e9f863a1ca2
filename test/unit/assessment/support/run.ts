import type { Challenge } from '../../../../src/content/bank';
import { nextChallenge, type Assessment, type StoredAnswer } from '../../../../src/assessment';

/** Plays an assessment to its end with an answering policy; guards against a non-terminating engine. */
export function play(
  assessment: Assessment,
  answer: (challenge: Challenge, index: number) => StoredAnswer['status'],
  guard = assessment.candidates.length + 5,
): { answers: StoredAnswer[]; asked: Challenge[] } {
  const answers: StoredAnswer[] = [];
  const asked: Challenge[] = [];
  for (let i = 0; i < guard; i++) {
    const next = nextChallenge(assessment, answers);
    if (next.done) return { answers, asked };
    asked.push(next.challenge);
    answers.push({ challengeId: next.challenge.id, status: answer(next.challenge, i) });
  }
  throw new Error(`assessment did not finish within ${guard} challenges`);
}
