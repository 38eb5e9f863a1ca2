import { SCORING } from './constants';
import type { Knowledge } from './knowledge';

export interface CompetenceScore {
  competenceId: string;
  pix: number;
  level: number;
}

/**
 * Competence pix = floor(sum of validated skills' pix), capped at maxLevel × 8;
 * level = min(floor(pix / 8), maxLevel). `skillPix` holds the value of each skill of these competences.
 */
export function scoreCompetences(
  competenceIds: readonly string[],
  knowledge: Knowledge,
  skillPix: ReadonlyMap<string, number>,
  skillCompetence: (skillId: string) => string | undefined,
  maxLevel: number,
): CompetenceScore[] {
  const sums = new Map<string, number>(competenceIds.map((id) => [id, 0]));
  for (const [skillId, state] of knowledge) {
    if (state.status !== 'validated') continue;
    const competenceId = skillCompetence(skillId);
    const value = skillPix.get(skillId);
    if (competenceId === undefined || value === undefined || !sums.has(competenceId)) continue;
    sums.set(competenceId, sums.get(competenceId)! + value);
  }
  return competenceIds.map((competenceId) => {
    // The epsilon absorbs float sums such as 3 × 8/3 = 7.999…, which must floor to 8.
    const pix = Math.min(Math.floor(sums.get(competenceId)! + 1e-9), maxLevel * SCORING.pixPerLevel);
    return { competenceId, pix, level: Math.min(Math.floor(pix / SCORING.pixPerLevel), maxLevel) };
  });
}
