import type { ChallengeDef, Competence, Framework, Localized, ModuleDef, ParcoursDef } from './schema';

/**
 * The content bank as the rest of the tool sees it once content/ is loaded and validated:
 * indexed, with defaults filled in (skill ids, IRT parameters). Immutable after loading.
 */
export interface SkillInfo {
  /** `@<tube><level>`, e.g. `@moteurRecherche3`. */
  id: string;
  tubeId: string;
  competenceId: string;
  level: number;
  description: Localized;
  challengeIds: string[];
}

export interface TubeInfo {
  id: string;
  competenceId: string;
  title: Localized;
  description?: Localized;
  /** Ascending by level. */
  skills: SkillInfo[];
}

export interface CompetenceInfo extends Competence {
  domainId: string;
  /** Tube ids in file order. */
  tubeIds: string[];
}

/** A challenge with its place in the framework and IRT defaults applied. */
export type Challenge = ChallengeDef & {
  skillId: string;
  tubeId: string;
  competenceId: string;
  level: number;
  irt: { discrimination: number; difficulty: number };
};

export interface ContentBank {
  /** sha256 (hex) of every content file's path and bytes: stamped on attempts. */
  version: string;
  framework: Framework;
  competences: ReadonlyMap<string, CompetenceInfo>;
  tubes: ReadonlyMap<string, TubeInfo>;
  skills: ReadonlyMap<string, SkillInfo>;
  challenges: ReadonlyMap<string, Challenge>;
  modules: ReadonlyMap<string, ModuleDef>;
  parcours: ReadonlyMap<string, ParcoursDef>;
}
