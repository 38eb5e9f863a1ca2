import type { CompetenceState } from './algorithms/irt';
import { curvesOf, type Assessment } from './assessment';
import type { Knowledge, ResolvedAnswer } from './knowledge';

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error below 1e-7: plenty for a prior). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

const TOP_LEVEL = 8;

/**
 * Skills of every target tube from a model of the tube's mastery threshold m (the learner masters
 * the tube's skills up to level m): the prior on m comes from the competence's ability posterior
 * without this tube's answers, widened by the spread of tubes around their competence; each answer
 * in the tube is then right with chance 1 − slip when its level is at most m, `guess` otherwise. A
 * skill is validated when P(m ≥ its level) ≥ ½. This keeps what tube inference knows (answers inside
 * a tube are nearly deterministic when skills are cumulative) while a single slip or lucky guess is
 * weighed against everything else, instead of settling the tube by itself.
 */
export function tubeMasteryKnowledge(
  assessment: Assessment,
  answers: readonly ResolvedAnswer[],
  states: readonly CompetenceState[],
): Knowledge {
  const { grid, index } = assessment;
  const s = assessment.settings.irt;
  const n = grid.points.length;
  // kernel[i][m]: P(floor(θ + u) = m | θ = point i), u ~ N(0, tubeSd²), m clamped to 0..TOP_LEVEL.
  const kernel = Array.from(grid.points, (x) =>
    Float64Array.from({ length: TOP_LEVEL + 1 }, (_, m) => {
      const upper = m === TOP_LEVEL ? 1 : normalCdf((m + 1 - x) / s.tubeSd);
      const lower = m === 0 ? 0 : normalCdf((m - x) / s.tubeSd);
      return upper - lower;
    }),
  );
  const byTube = new Map<string, ResolvedAnswer[]>();
  for (const answer of answers) {
    const list = byTube.get(answer.challenge.tubeId);
    if (list) list.push(answer);
    else byTube.set(answer.challenge.tubeId, [answer]);
  }
  const knowledge: Knowledge = new Map();
  const weights = new Float64Array(n);
  const mass = new Float64Array(TOP_LEVEL + 1);
  for (const tube of assessment.tubes) {
    const k = index.competence.get(tube.competenceId)!;
    void states[k];
    const own = byTube.get(tube.tubeId) ?? [];
    // The competence posterior without this tube's answers (their likelihood divided out).
    weights.set(index.weights[k]!);
    for (const { challenge, correct } of own) {
      const curve = correct ? curvesOf(assessment, challenge).right : curvesOf(assessment, challenge).wrong;
      for (let i = 0; i < n; i++) weights[i]! /= curve[i]!;
    }
    mass.fill(0);
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      const row = kernel[i]!;
      for (let m = 0; m <= TOP_LEVEL; m++) mass[m]! += w * row[m]!;
    }
    for (const { challenge, correct } of own) {
      for (let m = 0; m <= TOP_LEVEL; m++) {
        const knows = challenge.level <= m;
        mass[m]! *= correct ? (knows ? 1 - s.slip : s.guess) : knows ? s.slip : 1 - s.guess;
      }
    }
    let total = 0;
    for (let m = 0; m <= TOP_LEVEL; m++) total += mass[m]!;
    const answered = new Set(own.map((a) => a.challenge.skillId));
    for (const skill of tube.skills) {
      let atLeast = 0;
      for (let m = Math.max(0, Math.min(TOP_LEVEL, skill.level)); m <= TOP_LEVEL; m++) atLeast += mass[m]!;
      knowledge.set(skill.id, {
        status: atLeast >= 0.5 * total ? 'validated' : 'invalidated',
        source: answered.has(skill.id) ? 'direct' : 'estimated',
      });
    }
  }
  return knowledge;
}
