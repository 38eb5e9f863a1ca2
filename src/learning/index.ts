// The learner experience's use cases: placements, attempts (assessment runner), modules, attestations.
import type { ContentBank } from '../content/bank';
import type { Db } from '../db';
import { createAttemptRepository } from '../db/repositories/attempts';
import { createAttestationRepository } from '../db/repositories/attestations';
import { createLearnerRepository } from '../db/repositories/learners';
import { createPlacementRepository } from '../db/repositories/placements';
import { AssessmentFactory } from './activity';
import type { LearningDeps, LearningRandom } from './deps';
import type { AttemptEventSink } from './events';
import { cryptoLearningRandom } from './random';

export * from './events';
export * from './placements';
export * from './attempts';
export * from './modules';
export * from './attestations';
export * from './activity';
export type { LearningDeps, LearnerScope, LearningRandom } from './deps';
export { cryptoLearningRandom, codeFromBytes, ATTESTATION_CODE_PATTERN } from './random';

/** Seconds of slack after a timed challenge's limit before an answer counts as timed out. */
export const DEFAULT_TIMER_GRACE_MS = 5_000;

/** Wires the learning use cases to one database, content bank, clock and list of event sinks. */
export function createLearningDeps(opts: {
  db: Db;
  bank: ContentBank;
  clock: { now(): number };
  /** Read at each event: sinks pushed into this array later (e.g. the AGS sink) are seen. */
  sinks: AttemptEventSink[];
  random?: LearningRandom;
  timerGraceMs?: number;
}): LearningDeps {
  return {
    bank: opts.bank,
    assessments: new AssessmentFactory(opts.bank),
    attempts: createAttemptRepository(opts.db),
    placements: createPlacementRepository(opts.db),
    learners: createLearnerRepository(opts.db),
    attestations: createAttestationRepository(opts.db),
    clock: opts.clock,
    random: opts.random ?? cryptoLearningRandom(),
    sinks: opts.sinks,
    timerGraceMs: opts.timerGraceMs ?? DEFAULT_TIMER_GRACE_MS,
  };
}
