/**
 * The assessment engine: answer checking, knowledge, scoring and adaptive selection. Pure and
 * deterministic: no HTTP, SQL, LTI, clock or Math.random; the caller stores everything.
 *
 * How a caller (the learner pages' use cases) drives it:
 *
 *   const assessment = startAssessment(bank, {
 *     target, algorithm, seed, locale, audience,  // seed: drawn once from the injected random, stored
 *     maxChallenges, sequence,                    // optional, from the parcours step
 *   });                                           // or assessmentConfigForStep(parcours, step, learner)
 *
 *   // Each request: rebuild from the stored answers (in order), never from in-memory state. The same
 *   // answers always give the same next challenge, so resuming after a crash is free.
 *   const next = nextChallenge(assessment, storedAnswers);   // { done: false, challenge, index } | { done: true }
 *
 *   // On submission (server side only; solutions never leave the server before this):
 *   const body = answerValueSchema.parse(form);
 *   const { status, fields } = checkAnswer(next.challenge, body, locale);  // 'ok' | 'ko'
 *   // store { challengeId, status } — or status 'skipped' / 'timedout', decided by the caller.
 *
 *   // When next.done: the result (pix and level per competence, global pix, mastery, stage, badges,
 *   // validated / invalidated skills, strengths and weaknesses by tube).
 *   const result = computeResult(assessment, storedAnswers, { stages: parcours.stages, badges: parcours.badges });
 *
 *   // Parcours: which step comes next (assessment over a target profile, or a module), and the outcome.
 *   nextParcoursStep(parcours, completedStepIds);  // { done: false, step, index } | { done: true }
 *   parcoursOutcome(parcours, completedStepIds, masteryPercentByStep);
 *
 * Settings: startAssessment(bank, config, { irt: { ...partial IrtSettings } }) overrides the defaults in
 * constants.ts (the simulation uses it to compare variants). An Assessment carries a cache of the last
 * answers it saw; it is checked against the answers on every call, so sharing one Assessment across
 * learners and requests (as AssessmentFactory does) stays correct.
 *
 * Modules check their qrocm elements with matchesAccepted(input, accepted, element.tolerances, locale).
 */
export * from './types';
export * from './checking';
export { SCORING, SMART_RANDOM, IRT, RANDOM_DEFAULT_PER_COMPETENCE, type IrtSettings } from './constants';
export {
  startAssessment,
  assessmentConfigSchema,
  skillPixValues,
  DEFAULT_SETTINGS,
  type Assessment,
  type AssessmentConfig,
  type EngineSettings,
  type TargetTube,
} from './assessment';
export { nextChallenge, isFinished, maxLength, type NextStep } from './engine';
export {
  computeResult,
  type AssessmentResult,
  type CompetenceResult,
  type TubeResult,
  type StageDef,
  type BadgeDef,
} from './result';
export {
  inferKnowledge,
  resolveAnswers,
  type Knowledge,
  type SkillKnowledge,
  type SkillSource,
} from './knowledge';
export { scoreCompetences, type CompetenceScore } from './scoring';
export { nextParcoursStep, assessmentConfigForStep, parcoursOutcome, type ParcoursNext } from './parcours';
export { seededRandom, deriveSeed, type Random } from './random';
