import type { Challenge, CompetenceInfo, ContentBank, SkillInfo, TubeInfo } from './bank';
import type { Parsed } from './cross-checks';
import type { CompetenceFile, Framework, ModuleDef, ParcoursDef } from './schema';

export const skillId = (tubeId: string, level: number): string => `@${tubeId}${level}`;

/**
 * Indexes content that passed every check. Maps keep the framework's order for competences and the
 * files' order below it, so that listings are stable.
 */
export function buildBank(input: {
  version: string;
  framework: Framework;
  competences: readonly Parsed<CompetenceFile>[];
  modules: readonly Parsed<ModuleDef>[];
  parcours: readonly Parsed<ParcoursDef>[];
}): ContentBank {
  const competences = new Map<string, CompetenceInfo>();
  for (const domain of input.framework.domains) {
    for (const competence of domain.competences) {
      competences.set(competence.id, { ...competence, domainId: domain.id, tubeIds: [] });
    }
  }
  const tubes = new Map<string, TubeInfo>();
  const skills = new Map<string, SkillInfo>();
  const challenges = new Map<string, Challenge>();
  const files = [...input.competences].sort(
    (a, b) =>
      [...competences.keys()].indexOf(a.data.competence) - [...competences.keys()].indexOf(b.data.competence),
  );
  for (const { data } of files) {
    const competenceId = data.competence;
    for (const tube of data.tubes) {
      competences.get(competenceId)?.tubeIds.push(tube.id);
      const tubeSkills = [...tube.skills]
        .sort((a, b) => a.level - b.level)
        .map((skill): SkillInfo => {
          const id = skillId(tube.id, skill.level);
          for (const challenge of skill.challenges) {
            challenges.set(challenge.id, {
              ...challenge,
              skillId: id,
              tubeId: tube.id,
              competenceId,
              level: skill.level,
              irt: challenge.irt ?? { discrimination: 1, difficulty: skill.level },
            });
          }
          const info: SkillInfo = {
            id,
            tubeId: tube.id,
            competenceId,
            level: skill.level,
            description: skill.description,
            challengeIds: skill.challenges.map((c) => c.id),
          };
          skills.set(id, info);
          return info;
        });
      tubes.set(tube.id, {
        id: tube.id,
        competenceId,
        title: tube.title,
        ...(tube.description ? { description: tube.description } : {}),
        skills: tubeSkills,
      });
    }
  }
  return {
    version: input.version,
    framework: input.framework,
    competences,
    tubes,
    skills,
    challenges,
    modules: new Map(input.modules.map((m) => [m.data.id, m.data])),
    parcours: new Map(input.parcours.map((p) => [p.data.id, p.data])),
  };
}
