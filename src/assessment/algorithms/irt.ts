import type { Challenge } from '../../content/bank';
import { curvesOf, type Assessment } from '../assessment';
import { hierarchicalPriors, type CompetenceEvidence, type NormalPrior } from '../hierarchy';
import { information, meanOf, multiplyInto, normalDensity, posterior, type Posterior } from '../irt';
import type { ResolvedAnswer } from '../knowledge';
import type { Random } from '../random';
import { resumeFrom } from '../replay';
import { lastWasTimed, type Selector } from './context';

export interface CompetenceState extends Posterior {
  competenceId: string;
  answered: number;
  /** The prior this competence's answers were combined with (hierarchical: moved by the others). */
  prior: NormalPrior;
  /** Precise enough, or asked enough, or nothing left to ask: no more challenges for it. */
  stopped: boolean;
}

/**
 * Brings the per-competence likelihoods, answer counts and nominal information up to date with the
 * answers: incrementally when the answers extend the ones seen last (the simulation's and a learner's
 * usual case), from scratch otherwise. Either way the arithmetic is the same, so results are too.
 */
function accumulate(assessment: Assessment, answers: readonly ResolvedAnswer[]): void {
  const { index } = assessment;
  let start = resumeFrom(index.replayed, answers);
  if (start === -1) {
    start = 0;
    index.distinct.clear();
    index.answered.fill(0);
    index.usedCandidates.fill(0);
    index.information.fill(0);
    index.ownTheta.fill(NaN);
    for (const likelihood of index.likelihood) likelihood.fill(1);
  }
  const s = assessment.settings.irt;
  for (let i = start; i < answers.length; i++) {
    const { challenge, correct } = answers[i]!;
    const k = index.competence.get(challenge.competenceId);
    if (k === undefined) continue;
    if (!index.distinct.has(challenge.id)) {
      index.distinct.add(challenge.id);
      if (index.candidateIds.has(challenge.id)) index.usedCandidates[k]!++;
    }
    const curves = curvesOf(assessment, challenge);
    const n = ++index.answered[k]!;
    index.ownTheta[k] = NaN;
    multiplyInto(index.likelihood[k]!, correct ? curves.right : curves.wrong, n % 16 === 0);
    const alpha = challenge.irt.discrimination;
    index.information[k]! += alpha * alpha * s.itemInformation;
  }
}

/** The per-request IRT view of a learner: priors for every competence, posteriors on demand. */
export interface IrtModel {
  answered: (k: number) => number;
  /** Competence k's state; computed once per model, on first use. */
  state: (k: number) => CompetenceState;
}

/**
 * Per-competence posteriors from the stored answers (answers outside the target are ignored): first
 * each competence on its own under the population prior, then each again under the prior the other
 * competences give it. Posteriors are computed lazily: a request looks only at the competences its
 * choice depends on. With `keepWeights`, competence k's normalised posterior weights are left in
 * `assessment.index.weights[k]` (scratch buffers: read them before the next call).
 */
export function irtModel(
  assessment: Assessment,
  answers: readonly ResolvedAnswer[],
  keepWeights = false,
): IrtModel {
  const { grid, index, competenceIds } = assessment;
  const s = assessment.settings.irt;
  accumulate(assessment, answers);
  const { answered, usedCandidates, information: info } = index;
  const evidence: CompetenceEvidence[] = competenceIds.map((_, k) =>
    answered[k]! > 0 && s.hierarchical
      ? { theta: ownEstimate(assessment, k), information: info[k]! }
      : { theta: s.priorMean, information: 0 },
  );
  const priors = hierarchicalPriors(evidence, s);
  const states: (CompetenceState | undefined)[] = [];
  const state = (k: number): CompetenceState => {
    const known = states[k];
    if (known) return known;
    const prior = priors[k]!;
    const n = answered[k]!;
    normalDensity(grid, prior.mean, prior.sd, index.prior);
    const estimate = posterior(
      grid,
      index.prior,
      n > 0 ? index.likelihood[k] : undefined,
      keepWeights ? index.weights[k] : undefined,
      index.levelMass,
    );
    const precise =
      n >= s.minPerCompetence &&
      (estimate.sd < s.stopSd || estimate.levelProbability >= s.stopLevelProbability);
    const left = usedCandidates[k]! < index.candidateCount[k]!;
    return (states[k] = {
      competenceId: competenceIds[k]!,
      answered: n,
      ...estimate,
      prior,
      stopped: !left || precise || n >= s.maxPerCompetence,
    });
  };
  return { answered: (k) => answered[k]!, state };
}

/** Competence k's EAP under the population prior from its own answers, cached until they change. */
function ownEstimate(assessment: Assessment, k: number): number {
  const { index, grid } = assessment;
  if (Number.isNaN(index.ownTheta[k]!)) index.ownTheta[k] = meanOf(grid, grid.prior, index.likelihood[k]);
  return index.ownTheta[k]!;
}

/** Every competence's state (and posterior weights left in `assessment.index.weights`). */
export function competenceStates(
  assessment: Assessment,
  answers: readonly ResolvedAnswer[],
): CompetenceState[] {
  const model = irtModel(assessment, answers, true);
  return assessment.competenceIds.map((_, k) => model.state(k));
}

/**
 * Randomised exposure control: walk the ranking, taking each with probability `first` (the last one
 * surely), so the best item is the usual pick but never the only one every learner sees.
 */
function randomesque<T>(ranked: readonly T[], first: number, random: Random): T | undefined {
  for (let i = 0; i < ranked.length - 1; i++) if (random.next() < first) return ranked[i];
  return ranked[ranked.length - 1];
}

/**
 * IRT (2PL, EAP, hierarchical prior across competences): visit the open competence with the fewest
 * answers (not the previous one when another is open), inside it the least-visited tubes, no two timed
 * challenges in a row, then one of the most informative challenges at the current estimate. A
 * competence's first challenge therefore sits at its prior mean, which the other competences' answers
 * have already moved.
 */
export const irtSelector: Selector = (context) => {
  const { assessment, answers, used, random } = context;
  const s = assessment.settings.irt;
  const model = irtModel(assessment, answers);
  // Competences by number of answers; the first count with an open competence is the round to serve.
  const order = assessment.competenceIds
    .map((_, k) => k)
    .sort((a, b) => model.answered(a) - model.answered(b));
  let open: CompetenceState[] = [];
  for (const k of order) {
    if (open.length > 0 && model.answered(k) > open[0]!.answered) break;
    const state = model.state(k);
    if (!state.stopped) open.push(state);
  }
  if (open.length === 0) return undefined;
  const lastCompetence = answers[answers.length - 1]?.challenge.competenceId;
  if (open.length > 1) open = open.filter((state) => state.competenceId !== lastCompetence);
  const { competenceId, theta } = open[Math.floor(random.next() * open.length)]!;

  let fresh = (assessment.candidatesByCompetence.get(competenceId) ?? []).filter((c) => !used.has(c.id));
  const visits = new Map<string, number>();
  for (const { challenge } of answers) {
    if (challenge.competenceId === competenceId)
      visits.set(challenge.tubeId, (visits.get(challenge.tubeId) ?? 0) + 1);
  }
  // Skills the answers already settle inside their tube (a right answer at or above, a wrong one at or
  // below) teach little more: ask about unsettled ones while there are any.
  const highestRight = new Map<string, number>();
  const lowestWrong = new Map<string, number>();
  const direct = new Set<string>();
  for (const { challenge, correct } of answers) {
    if (challenge.competenceId !== competenceId) continue;
    direct.add(challenge.skillId);
    if (correct)
      highestRight.set(challenge.tubeId, Math.max(highestRight.get(challenge.tubeId) ?? 0, challenge.level));
    else
      lowestWrong.set(challenge.tubeId, Math.min(lowestWrong.get(challenge.tubeId) ?? 99, challenge.level));
  }
  const settled = (c: Challenge) =>
    direct.has(c.skillId) ||
    c.level <= (highestRight.get(c.tubeId) ?? 0) ||
    c.level >= (lowestWrong.get(c.tubeId) ?? 99);
  if (s.preferUnsettled) {
    const unsettled = fresh.filter((c) => !settled(c));
    if (unsettled.length > 0) fresh = unsettled;
  }
  let leastVisits = Infinity;
  for (const c of fresh) leastVisits = Math.min(leastVisits, visits.get(c.tubeId) ?? 0);
  let pool = fresh.filter((c) => (visits.get(c.tubeId) ?? 0) === leastVisits);
  if (lastWasTimed(context)) {
    const untimed = pool.filter((c) => c.timer === undefined);
    if (untimed.length > 0) pool = untimed;
  }
  const ranked = pool
    .map((challenge): [Challenge, number] => [
      challenge,
      information(theta, challenge.irt.difficulty, challenge.irt.discrimination) + random.next() * 1e-9,
    ])
    .sort((a, b) => b[1] - a[1])
    .slice(0, s.topK)
    .map(([challenge]) => challenge);
  return randomesque(ranked, s.firstPickProbability, random);
};
