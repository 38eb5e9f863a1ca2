import type { ContentBank } from '../content/bank';
import type { AttemptRepository } from '../db/repositories/attempts';
import type { AttestationRepository } from '../db/repositories/attestations';
import type { LearnerRepository } from '../db/repositories/learners';
import type { PlacementRepository } from '../db/repositories/placements';
import type { AssessmentFactory } from './activity';
import type { AttemptEventSink } from './events';

/** Randomness, injected so tests and simulations are reproducible. */
export interface LearningRandom {
  /** An integer in [0, 2^32). */
  seed(): number;
  /** A fresh unique id. */
  id(): string;
  /** A public verification code (unguessable). */
  code(): string;
}

/** Everything the learning use cases need, passed explicitly. */
export interface LearningDeps {
  bank: ContentBank;
  assessments: AssessmentFactory;
  attempts: AttemptRepository;
  placements: PlacementRepository;
  learners: LearnerRepository;
  attestations: AttestationRepository;
  clock: { now(): number };
  random: LearningRandom;
  /** Called inside the transaction of every attempt change (AGS grades, xAPI, …). */
  sinks: readonly AttemptEventSink[];
  /** Extra time allowed after a timed challenge's limit (network, slow submit). */
  timerGraceMs: number;
}

/** Which learner, on which platform: every use case is scoped by it. */
export interface LearnerScope {
  platformId: string;
  userSub: string;
}
