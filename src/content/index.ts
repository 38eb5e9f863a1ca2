/** The content bank: the YAML contract, loading and checking, and what a learner may see. */
export * from './schema';
export type * from './bank';
export { checkContent, loadContent } from './load';
export { ContentError, formatProblem, type ContentProblem } from './problems';
export { skillId } from './build-bank';
export { contentVersion } from './version';
export { contentStats, formatStats, type ContentStats } from './stats';
export {
  toLearnerChallenge,
  toLearnerElement,
  type LearnerChallenge,
  type LearnerElement,
} from './learner-view';
