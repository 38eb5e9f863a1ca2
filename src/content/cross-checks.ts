import type { ContentProblem, PathSegment } from './problems';
import type {
  CompetenceFile,
  Framework,
  ModuleDef,
  ParcoursDef,
  ChallengeDef,
  AcceptedValue,
} from './schema';
import type { YamlSource } from './yaml-source';

/** A validated file with what its name says its id is (the file name without `.yaml`). */
export interface Parsed<T> {
  source: YamlSource;
  name: string;
  data: T;
}

export interface ParsedContent {
  framework?: Parsed<Framework>;
  competences: Parsed<CompetenceFile>[];
  modules: Parsed<ModuleDef>[];
  parcours: Parsed<ParcoursDef>[];
  /** Paths relative to content/attachments/. */
  attachments: ReadonlySet<string>;
  /**
   * Some competence or module files failed the schema: references to what they define cannot be
   * judged, so "unknown …" is not reported for them (the schema problems are).
   */
  incomplete?: { competences?: boolean; modules?: boolean };
}

interface Place {
  source: YamlSource;
  path: PathSegment[];
}

/** Remembers where each id was first defined, to report duplicates with both places. */
class IdRegistry {
  private readonly seen = new Map<string, Place>();
  constructor(
    private readonly what: string,
    private readonly problems: ContentProblem[],
  ) {}
  add(id: string, place: Place): void {
    const first = this.seen.get(id);
    if (first) {
      const where = `${first.source.file}:${first.source.lineOf(first.path)}`;
      this.problems.push(
        place.source.problem(place.path, `duplicate ${this.what} "${id}" (first defined at ${where})`),
      );
    } else {
      this.seen.set(id, place);
    }
  }
  has(id: string): boolean {
    return this.seen.has(id);
  }
}

const isNumber = (value: AcceptedValue): value is { number: number; tolerance: number } =>
  typeof value === 'object' && !Array.isArray(value) && 'number' in value;

const NUMBER_TEXT = /^-?\d+(?:[.,]\d+)?$/;

type Located = (path: PathSegment[], message: string) => void;

/** Every check that needs more than one value, file or directory; the schema did the rest. */
export function crossCheck(content: ParsedContent): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const competenceIds = new Set(
    content.framework?.data.domains.flatMap((d) => d.competences.map((c) => c.id)),
  );
  const checkFile = (source: YamlSource, path: PathSegment[], file: string) => {
    if (!content.attachments.has(file)) {
      problems.push(source.problem(path, `file not found: content/attachments/${file}`));
    }
  };

  // ---------- framework ----------
  if (content.framework) {
    const { source, data } = content.framework;
    const domains = new IdRegistry('domain', problems);
    const competences = new IdRegistry('competence', problems);
    data.domains.forEach((domain, d) => {
      domains.add(domain.id, { source, path: ['domains', d, 'id'] });
      domain.competences.forEach((competence, c) => {
        const path = ['domains', d, 'competences', c, 'id'];
        competences.add(competence.id, { source, path });
        if (!competence.id.startsWith(`${domain.id}.`)) {
          problems.push(
            source.problem(path, `competence ${competence.id} belongs to domain ${competence.id[0]}`),
          );
        }
      });
    });
  }

  // ---------- competences, tubes, skills, challenges ----------
  const tubes = new IdRegistry('tube', problems);
  const challenges = new IdRegistry('challenge', problems);
  const tubeLevels = new Map<string, { competence: string; levels: Set<number> }>();
  const challengePlaces = new Map<string, { tube: string; competence: string; level: number }>();
  for (const { source, name, data } of content.competences) {
    if (data.competence !== name) {
      problems.push(
        source.problem(
          ['competence'],
          `competence "${data.competence}" does not match the file name ${name}.yaml`,
        ),
      );
    }
    if (content.framework && !competenceIds.has(data.competence)) {
      problems.push(
        source.problem(['competence'], `competence "${data.competence}" is not in the framework`),
      );
    }
    data.tubes.forEach((tube, t) => {
      tubes.add(tube.id, { source, path: ['tubes', t, 'id'] });
      const levels = new Set<number>();
      tube.skills.forEach((skill, s) => {
        const skillPath = ['tubes', t, 'skills', s];
        if (levels.has(skill.level)) {
          problems.push(
            source.problem(
              [...skillPath, 'level'],
              `duplicate skill level ${skill.level} in tube ${tube.id}`,
            ),
          );
        }
        levels.add(skill.level);
        skill.challenges.forEach((challenge, c) => {
          const path = [...skillPath, 'challenges', c];
          challenges.add(challenge.id, { source, path: [...path, 'id'] });
          challengePlaces.set(challenge.id, {
            tube: tube.id,
            competence: data.competence,
            level: skill.level,
          });
          checkChallenge(
            challenge,
            (p, message) => problems.push(source.problem([...path, ...p], message)),
            (p, f) => checkFile(source, [...path, ...p], f),
          );
        });
      });
      if (!tubeLevels.has(tube.id)) tubeLevels.set(tube.id, { competence: data.competence, levels });
    });
  }

  // ---------- modules ----------
  const modules = new IdRegistry('module', problems);
  for (const { source, name, data } of content.modules) {
    modules.add(data.id, { source, path: ['id'] });
    if (data.id !== name)
      problems.push(
        source.problem(['id'], `module id "${data.id}" does not match the file name ${name}.yaml`),
      );
    data.competences.forEach((c, i) => {
      if (content.framework && !competenceIds.has(c))
        problems.push(source.problem(['competences', i], `competence "${c}" is not in the framework`));
    });
    if (data.details.image) checkFile(source, ['details', 'image', 'file'], data.details.image.file);
    const sections = new IdRegistry('section', problems);
    const grains = new IdRegistry('grain', problems);
    const elements = new IdRegistry('element', problems);
    data.sections.forEach((section, s) => {
      sections.add(section.id, { source, path: ['sections', s, 'id'] });
      section.grains.forEach((grain, g) => {
        const grainPath = ['sections', s, 'grains', g];
        grains.add(grain.id, { source, path: [...grainPath, 'id'] });
        grain.elements.forEach((element, e) => {
          const path = [...grainPath, 'elements', e];
          elements.add(element.id, { source, path: [...path, 'id'] });
          checkElement(
            element,
            (p, message) => problems.push(source.problem([...path, ...p], message)),
            (p, f) => checkFile(source, [...path, ...p], f),
          );
        });
      });
    });
  }

  // ---------- parcours ----------
  const parcoursIds = new IdRegistry('parcours', problems);
  for (const { source, name, data } of content.parcours) {
    parcoursIds.add(data.id, { source, path: ['id'] });
    if (data.id !== name)
      problems.push(
        source.problem(['id'], `parcours id "${data.id}" does not match the file name ${name}.yaml`),
      );
    const steps = new IdRegistry('step', problems);
    data.steps.forEach((step, s) => {
      const path: PathSegment[] = ['steps', s];
      steps.add(step.id, { source, path: [...path, 'id'] });
      if (step.type === 'module') {
        if (!modules.has(step.module) && !content.incomplete?.modules)
          problems.push(source.problem([...path, 'module'], `unknown module "${step.module}"`));
        return;
      }
      const profile = step.targetProfile;
      profile.tubes.forEach((t, i) => {
        if (!tubeLevels.has(t.tube) && !content.incomplete?.competences)
          problems.push(
            source.problem([...path, 'targetProfile', 'tubes', i, 'tube'], `unknown tube "${t.tube}"`),
          );
      });
      profile.competences.forEach((c, i) => {
        if (content.framework && !competenceIds.has(c.competence)) {
          problems.push(
            source.problem(
              [...path, 'targetProfile', 'competences', i, 'competence'],
              `competence "${c.competence}" is not in the framework`,
            ),
          );
        }
      });
      const cap = (tube: string, competence: string): number => {
        const levels = [
          ...profile.tubes.filter((t) => t.tube === tube).map((t) => t.maxLevel),
          ...profile.competences.filter((c) => c.competence === competence).map((c) => c.maxLevel),
        ];
        return levels.length ? Math.max(...levels) : 0;
      };
      const seen = new Set<string>();
      step.sequence?.forEach((id, i) => {
        const at = [...path, 'sequence', i];
        const place = challengePlaces.get(id);
        if (seen.has(id))
          problems.push(source.problem(at, `challenge "${id}" appears twice in the sequence`));
        seen.add(id);
        if (!place) {
          if (!content.incomplete?.competences)
            problems.push(source.problem(at, `unknown challenge "${id}"`));
        } else if (place.level > cap(place.tube, place.competence)) {
          problems.push(
            source.problem(
              at,
              `challenge "${id}" (@${place.tube}${place.level}) is outside the target profile`,
            ),
          );
        }
      });
    });
    data.stages.forEach((stage, i) => {
      const previous = data.stages[i - 1];
      if (i === 0 && stage.threshold !== 0)
        problems.push(source.problem(['stages', 0, 'threshold'], 'the first stage threshold must be 0'));
      if (previous && stage.threshold <= previous.threshold) {
        problems.push(
          source.problem(
            ['stages', i, 'threshold'],
            `stage thresholds must be ascending (${previous.threshold} then ${stage.threshold})`,
          ),
        );
      }
    });
    const badges = new IdRegistry('badge', problems);
    data.badges.forEach((badge, b) => {
      badges.add(badge.id, { source, path: ['badges', b, 'id'] });
      badge.tubes.forEach((tube, i) => {
        if (!tubeLevels.has(tube) && !content.incomplete?.competences)
          problems.push(source.problem(['badges', b, 'tubes', i], `unknown tube "${tube}"`));
      });
    });
  }
  return problems;
}

function checkDistinct(
  ids: readonly string[],
  what: string,
  at: (i: number) => PathSegment[],
  report: Located,
): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) report(at(i), `duplicate ${what} "${id}"`);
    seen.add(id);
  });
}

/** Free-text solutions: one per field, numbers for number fields. */
function checkFieldSolutions(
  fields: readonly { id: string; kind: 'text' | 'number' }[],
  solution: Record<string, AcceptedValue>,
  report: Located,
): void {
  const fieldIds = new Set(fields.map((f) => f.id));
  fields.forEach((field) => {
    const value = solution[field.id];
    if (value === undefined) report(['solution'], `no solution for field "${field.id}"`);
    else if (field.kind === 'number' && !isNumber(value)) {
      report(
        ['solution', field.id],
        `field "${field.id}" is a number field: its solution must be { number, tolerance }`,
      );
    }
  });
  for (const key of Object.keys(solution)) {
    if (!fieldIds.has(key)) report(['solution', key], `solution for "${key}", which is not a field id`);
  }
}

function checkChallenge(
  challenge: ChallengeDef,
  report: Located,
  file: (path: PathSegment[], f: string) => void,
): void {
  if (!challenge.locales.includes('fr')) report(['locales'], 'locales must include fr');
  if (challenge.illustration) file(['illustration', 'file'], challenge.illustration.file);
  challenge.attachments?.forEach((a, i) => file(['attachments', i, 'file'], a.file));
  switch (challenge.type) {
    case 'QCU':
    case 'QCM': {
      const ids = challenge.proposals.map((p) => p.id);
      checkDistinct(ids, 'proposal', (i) => ['proposals', i, 'id'], report);
      const solution = challenge.type === 'QCU' ? [challenge.solution] : challenge.solution;
      solution.forEach((id, i) => {
        if (!ids.includes(id))
          report(
            challenge.type === 'QCU' ? ['solution'] : ['solution', i],
            `solution "${id}" is not a proposal id`,
          );
      });
      if (challenge.type === 'QCM') {
        checkDistinct(challenge.solution, 'solution id', (i) => ['solution', i], report);
        if (new Set(challenge.solution).size >= ids.length)
          report(['solution'], 'a QCM solution must leave at least one proposal out');
      }
      if (challenge.wrongAnswers)
        report(['wrongAnswers'], 'wrongAnswers are for free-text challenges (QROC, QROCM)');
      return;
    }
    case 'QROC':
    case 'QROCM-ind':
    case 'QROCM-dep': {
      const ids = challenge.fields.map((f) => f.id);
      checkDistinct(ids, 'field', (i) => ['fields', i, 'id'], report);
      if (challenge.type === 'QROCM-dep') {
        if (challenge.solution.groups.length < challenge.fields.length) {
          report(
            ['solution', 'groups'],
            `${challenge.fields.length} fields need at least as many groups (got ${challenge.solution.groups.length})`,
          );
        }
        // Groups are shared by every field: number fields need every variant to read as a number.
        if (challenge.fields.some((f) => f.kind === 'number')) {
          challenge.solution.groups.forEach((group, g) => {
            const variants = Array.isArray(group) ? group : [...group.fr, ...group.en];
            const bad = variants.find((v) => !NUMBER_TEXT.test(v.replace(/[\s\u00a0\u202f]/g, '')));
            if (bad !== undefined) {
              report(['solution', 'groups', g], `"${bad}" is not a number, but the fields are number fields`);
            }
          });
        }
      } else {
        checkFieldSolutions(challenge.fields, challenge.solution, report);
      }
      challenge.wrongAnswers?.forEach((answer, i) => {
        for (const key of Object.keys(answer)) {
          if (!ids.includes(key)) report(['wrongAnswers', i, key], `"${key}" is not a field id`);
        }
      });
      return;
    }
  }
}

type Element = ModuleDef['sections'][number]['grains'][number]['elements'][number];

function checkElement(
  element: Element,
  report: Located,
  file: (path: PathSegment[], f: string) => void,
): void {
  switch (element.type) {
    case 'image':
    case 'download':
      file(['file'], element.file);
      return;
    case 'video':
      file(['file'], element.file);
      file(['captions', 'fr'], element.captions.fr);
      file(['captions', 'en'], element.captions.en);
      if (element.poster) file(['poster'], element.poster);
      return;
    case 'sorter': {
      const categories = element.categories.map((c) => c.id);
      checkDistinct(categories, 'category', (i) => ['categories', i, 'id'], report);
      checkDistinct(
        element.cards.map((c) => c.id),
        'card',
        (i) => ['cards', i, 'id'],
        report,
      );
      element.cards.forEach((card, i) => {
        if (!categories.includes(card.category)) {
          report(
            ['cards', i, 'category'],
            `category "${card.category}" is not one of ${categories.join(', ')}`,
          );
        }
      });
      return;
    }
    case 'qcu':
    case 'qcm': {
      const ids = element.proposals.map((p) => p.id);
      checkDistinct(ids, 'proposal', (i) => ['proposals', i, 'id'], report);
      const solution = element.type === 'qcu' ? [element.solution] : element.solution;
      solution.forEach((id, i) => {
        if (!ids.includes(id))
          report(
            element.type === 'qcu' ? ['solution'] : ['solution', i],
            `solution "${id}" is not a proposal id`,
          );
      });
      if (element.type === 'qcm')
        checkDistinct(element.solution, 'solution id', (i) => ['solution', i], report);
      return;
    }
    case 'qrocm':
      checkDistinct(
        element.fields.map((f) => f.id),
        'field',
        (i) => ['fields', i, 'id'],
        report,
      );
      checkFieldSolutions(element.fields, element.solution, report);
      return;
    default:
      return;
  }
}
