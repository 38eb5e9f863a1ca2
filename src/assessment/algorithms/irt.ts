import type { Challenge } from '../../content/bank';
import { curvesOf, type Assessment } from '../assessment';
import { estimateFromCurves, information, type Estimate } from '../irt';
import type { ResolvedAnswer } from '../knowledge';
import type { Random } from '../random';
import { lastWasTimed, type Selector } from './context';

export interface CompetenceState extends Estimate {
  competenceId: string;
  answered: number;
  /** Precise enough, or asked enough: no more challenges for this competence. */
  stopped: boolean;
}

/** Per-competence EAP estimates from the stored answers (answers outside the target are ignored). */
export function competenceStates(
  assessment: Assessment,
  answers: readonly ResolvedAnswer[],
  used: ReadonlySet<string> = new Set(),
): CompetenceState[] {
  const items = new Map<string, Float64Array[]>(assessment.competenceIds.map((id) => [id, []]));
  for (const { challenge, correct } of answers) {
    const list = items.get(challenge.competenceId);
    if (list) {
      const curves = curvesOf(assessment, challenge);
      list.push(correct ? curves.right : curves.wrong);
    }
  }
  const s = assessment.settings.irt;
  return assessment.competenceIds.map((competenceId) => {
    const list = items.get(competenceId)!;
    const estimate = estimateFromCurves(assessment.grid, list);
    const left = (assessment.candidatesByCompetence.get(competenceId) ?? []).some((c) => !used.has(c.id));
    const precise = list.length >= s.minPerCompetence && estimate.sd < s.stopSd;
    const stopped = !left || precise || list.length >= s.maxPerCompetence;
    return { competenceId, answered: list.length, ...estimate, stopped };
  });
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
 * IRT (2PL, EAP): visit the active competence with the fewest answers (not the previous one when
 * another is open), inside it the least-visited tubes, no two timed challenges in a row, then one of
 * the most informative challenges at the current estimate. Posteriors are computed lazily, only for the
 * competences the choice depends on (this runs on every request).
 */
export const irtSelector: Selector = (context) => {
  const { assessment, answers, used, random } = context;
  const s = assessment.settings.irt;
  const curves = new Map<string, Float64Array[]>(assessment.competenceIds.map((id) => [id, []]));
  for (const { challenge, correct } of answers) {
    const list = curves.get(challenge.competenceId);
    if (list) {
      const c = curvesOf(assessment, challenge);
      list.push(correct ? c.right : c.wrong);
    }
  }
  const estimates = new Map<string, Estimate>();
  const estimate = (id: string) => {
    let e = estimates.get(id);
    if (!e) estimates.set(id, (e = estimateFromCurves(assessment.grid, curves.get(id)!)));
    return e;
  };
  const isOpen = (id: string) => {
    const n = curves.get(id)!.length;
    if (n >= s.maxPerCompetence) return false;
    if (!(assessment.candidatesByCompetence.get(id) ?? []).some((c) => !used.has(c.id))) return false;
    return n < s.minPerCompetence || estimate(id).sd >= s.stopSd;
  };
  const byCount = [...assessment.competenceIds].sort((a, b) => curves.get(a)!.length - curves.get(b)!.length);
  let open: string[] = [];
  for (const id of byCount) {
    if (open.length > 0 && curves.get(id)!.length > curves.get(open[0]!)!.length) break;
    if (isOpen(id)) open.push(id);
  }
  if (open.length === 0) return undefined;
  const lastCompetence = answers[answers.length - 1]?.challenge.competenceId;
  if (open.length > 1) open = open.filter((id) => id !== lastCompetence);
  const competenceId = open[Math.floor(random.next() * open.length)]!;
  const theta = estimate(competenceId).theta;

  const fresh = (assessment.candidatesByCompetence.get(competenceId) ?? []).filter((c) => !used.has(c.id));
  const visits = new Map<string, number>();
  for (const { challenge } of answers) visits.set(challenge.tubeId, (visits.get(challenge.tubeId) ?? 0) + 1);
  const leastVisits = Math.min(...fresh.map((c) => visits.get(c.tubeId) ?? 0));
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
