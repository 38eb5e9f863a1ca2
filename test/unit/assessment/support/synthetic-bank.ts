import type {
  Challenge,
  CompetenceInfo,
  ContentBank,
  SkillInfo,
  TubeInfo,
} from '../../../../src/content/bank';
import type { Audience, Locale } from '../../../../src/content/schema';
import { seededRandom } from '../../../../src/assessment/random';

export const COMPETENCE_IDS = [
  '1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '2.4', '3.1', '3.2', '3.3', '3.4', '4.1', '4.2', '4.3', '5.1', '5.2',
] as const; // prettier-ignore

export interface SyntheticOptions {
  competences?: number;
  tubesPerCompetence?: number;
  /** Levels of tube i (default: 1..min(8, 3 + 2i)). */
  levels?: (tubeIndex: number) => number[];
  challengesPerSkill?: number;
  /** Every n-th challenge is timed (0 = none). */
  timedEvery?: number;
  /** Jitter calibrated IRT parameters around the defaults (0 = defaults). */
  irtJitter?: number;
  audiences?: Audience[];
  locales?: Locale[];
  seed?: number;
}

const L = (s: string) => ({ fr: s, en: s });

/** A content bank built in memory, shaped like what loadContent returns, for tests and benches. */
export function syntheticBank(options: SyntheticOptions = {}): ContentBank {
  const {
    competences: competenceCount = 2,
    tubesPerCompetence = 3,
    levels = (i: number) => Array.from({ length: Math.min(8, 3 + 2 * i) }, (_, k) => k + 1),
    challengesPerSkill = 2,
    timedEvery = 0,
    irtJitter = 0,
    audiences = ['college', 'lycee'],
    locales = ['fr', 'en'],
    seed = 7,
  } = options;
  const random = seededRandom(seed);
  const competences = new Map<string, CompetenceInfo>();
  const tubes = new Map<string, TubeInfo>();
  const skills = new Map<string, SkillInfo>();
  const challenges = new Map<string, Challenge>();
  let counter = 0;
  for (const competenceId of COMPETENCE_IDS.slice(0, competenceCount)) {
    const c = competenceId.replace('.', '');
    const tubeIds: string[] = [];
    for (let t = 0; t < tubesPerCompetence; t++) {
      const tubeId = `c${c}tube${t}`;
      tubeIds.push(tubeId);
      const tubeSkills: SkillInfo[] = [];
      for (const level of levels(t)) {
        const skill: SkillInfo = {
          id: `@${tubeId}${level}`,
          tubeId,
          competenceId,
          level,
          description: L(`skill ${tubeId} ${level}`),
          challengeIds: [],
        };
        for (let k = 0; k < challengesPerSkill; k++) {
          counter++;
          const id = `${tubeId}-l${level}-${k}`;
          skill.challengeIds.push(id);
          const challenge: Challenge = {
            id,
            type: 'QCU',
            instruction: L(id),
            explanation: L(id),
            estimatedSeconds: 60,
            audiences: [...audiences],
            tolerances: ['T1', 'T2', 'T3'],
            locales: [...locales],
            proposals: [
              { id: 'a', text: L('a') },
              { id: 'b', text: L('b') },
              { id: 'c', text: L('c') },
              { id: 'd', text: L('d') },
            ],
            solution: 'a',
            ...(timedEvery > 0 && counter % timedEvery === 0 ? { timer: 60 } : {}),
            skillId: skill.id,
            tubeId,
            competenceId,
            level,
            irt: {
              discrimination: 1 + irtJitter * (random.next() - 0.5),
              difficulty: level + irtJitter * (random.next() - 0.5),
            },
          };
          challenges.set(id, challenge);
        }
        tubeSkills.push(skill);
        skills.set(skill.id, skill);
      }
      tubes.set(tubeId, { id: tubeId, competenceId, title: L(tubeId), skills: tubeSkills });
    }
    competences.set(competenceId, {
      id: competenceId,
      title: L(competenceId),
      description: L(competenceId),
      domainId: competenceId[0]!,
      tubeIds,
    });
  }
  return {
    version: 'synthetic',
    framework: { domains: [] } as unknown as ContentBank['framework'],
    competences,
    tubes,
    skills,
    challenges,
    modules: new Map(),
    parcours: new Map(),
  };
}
