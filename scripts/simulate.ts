/**
 * Simulated learners for comparing the adaptive algorithms (issue 4).
 *   npm run simulate -- --algorithm irt|smart-random|random --learners 2000 --parcours <id>|all|single:1.1
 *                       --seed 1 --truth 2pl|knowledge [--json] [--stop-sd 0.6] [--max-per-competence 8]
 * The learners (true abilities, mastered tubes) depend only on --seed, so every algorithm meets the same
 * people; algorithms only ever see stored answers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  computeResult,
  deriveSeed,
  nextChallenge,
  scoreCompetences,
  seededRandom,
  startAssessment,
  type Assessment,
  type AssessmentConfig,
  type StoredAnswer,
} from '../src/assessment';
import { predictLevel } from '../src/assessment/algorithms/smart-random';
import { probability } from '../src/assessment/irt';
import type { Knowledge } from '../src/assessment/knowledge';
import { normal, type Random } from '../src/assessment/random';
import type { Challenge, ContentBank } from '../src/content/bank';
import { loadContent } from '../src/content/load';
import { parcoursSchema, type TargetProfileDef } from '../src/content/schema';
import { CONTENT_DIR } from '../src/paths';
import { parse as parseYaml } from 'yaml';

const argsSchema = z.object({
  algorithm: z.enum(['irt', 'smart-random', 'random']),
  learners: z.coerce.number().int().min(1).max(100000).default(2000),
  parcours: z.string().default('all'),
  seed: z.coerce.number().int().min(0).default(1),
  truth: z.enum(['2pl', 'knowledge']).default('2pl'),
  json: z.boolean().default(false),
  /** A content directory (e.g. a snapshot of a commit's content/) instead of the working tree's. */
  content: z.string().optional(),
  'stop-sd': z.coerce.number().positive().optional(),
  'max-per-competence': z.coerce.number().int().positive().optional(),
  'min-per-competence': z.coerce.number().int().min(0).optional(),
  /** Any other irt setting, as JSON: --irt '{"hierarchical":false,"stopLevelProbability":0.7}'. */
  irt: z.string().optional(),
});

const irtOverridesSchema = z
  .object({
    priorMean: z.number(),
    priorSd: z.number().positive(),
    hierarchical: z.boolean(),
    competenceSd: z.number().positive(),
    itemInformation: z.number().positive(),
    stopSd: z.number().positive(),
    stopLevelProbability: z.number().min(0).max(1),
    minPerCompetence: z.number().int().min(0),
    maxPerCompetence: z.number().int().positive(),
    topK: z.number().int().positive(),
    firstPickProbability: z.number().min(0).max(1),
    skillEvidence: z.enum(['answers', 'ability', 'tubes']),
    tubeSd: z.number().positive(),
    slip: z.number().min(0).max(1),
    guess: z.number().min(0).max(1),
    preferUnsettled: z.boolean(),
  })
  .partial()
  .strict();

function parseArgs(argv: string[]) {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, '');
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) raw[key] = true;
    else {
      raw[key] = value;
      i++;
    }
  }
  return argsSchema.parse(raw);
}

// ---------- the bank: the committed content, or whatever part of it loads ----------

function loadBank(dir?: string): { bank: ContentBank; note: string } {
  if (dir) return { bank: loadContent(dir), note: dir };
  try {
    return { bank: loadContent(), note: 'content/' };
  } catch {
    // While content is being written, parcours or modules may not check yet: the challenges alone will do.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-'));
    fs.cpSync(CONTENT_DIR, dir, { recursive: true });
    fs.rmSync(path.join(dir, 'parcours'), { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'modules'), { recursive: true, force: true });
    try {
      return { bank: loadContent(dir), note: 'content/ (competences only)' };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function targetFor(bank: ContentBank, name: string): { target: TargetProfileDef; audience?: 'college' } {
  if (name === 'all') {
    return {
      target: {
        tubes: [],
        competences: [...bank.competences.keys()].map((competence) => ({ competence, maxLevel: 7 })),
      },
    };
  }
  if (name.startsWith('single:')) {
    return { target: { tubes: [], competences: [{ competence: name.slice(7), maxLevel: 7 }] } };
  }
  const file = path.join(CONTENT_DIR, 'parcours', `${name}.yaml`);
  const parcours = bank.parcours.get(name) ?? parcoursSchema.parse(parseYaml(fs.readFileSync(file, 'utf8')));
  const step = parcours.steps.find((s) => s.type === 'assessment');
  if (!step || step.type !== 'assessment') throw new Error(`parcours ${name} has no assessment step`);
  return { target: step.targetProfile };
}

// ---------- simulated learners ----------

interface Learner {
  /** True ability per competence, on the level scale. */
  theta: Map<string, number>;
  /** Knowledge truth: highest mastered level per tube. */
  mastered: Map<string, number>;
}

// Realistic abilities: a general digital ability (mean near level 2.7, as Pix's school averages suggest)
// plus a per-competence deviation, so competences correlate (about 0.7) without being identical.
const GENERAL = { mean: 2.7, sd: 1.3 };
const SPECIFIC_SD = 0.8;
const TUBE_SD = 0.75;
const SLIP = 0.1;

function drawLearners(bank: ContentBank, seed: number, count: number): Learner[] {
  const random = seededRandom(deriveSeed(seed, 0x51a));
  const learners: Learner[] = [];
  for (let i = 0; i < count; i++) {
    const general = normal(random, GENERAL.mean, GENERAL.sd);
    const theta = new Map<string, number>();
    const mastered = new Map<string, number>();
    for (const competence of bank.competences.values()) {
      const t = Math.max(-1, Math.min(9, general + normal(random, 0, SPECIFIC_SD)));
      theta.set(competence.id, t);
      for (const tubeId of competence.tubeIds) {
        mastered.set(tubeId, Math.max(0, Math.min(8, Math.floor(t + normal(random, 0, TUBE_SD)))));
      }
    }
    learners.push({ theta, mastered });
  }
  return learners;
}

function guessRate(challenge: Challenge): number {
  if (challenge.type === 'QCU') return Math.min(0.2, 1 / challenge.proposals.length);
  if (challenge.type === 'QCM') return 0.05;
  return 0.02;
}

function answers(
  truth: '2pl' | 'knowledge',
  learner: Learner,
  challenge: Challenge,
  random: Random,
): boolean {
  if (truth === '2pl') {
    const theta = learner.theta.get(challenge.competenceId)!;
    return random.next() < probability(theta, challenge.irt.difficulty, challenge.irt.discrimination);
  }
  const knows = challenge.level <= learner.mastered.get(challenge.tubeId)!;
  return random.next() < (knows ? 1 - SLIP : guessRate(challenge));
}

/** What the learner truly is, per target competence: level and pix as if every target skill were known. */
function trueScores(assessment: Assessment, truth: '2pl' | 'knowledge', learner: Learner) {
  const knowledge: Knowledge = new Map();
  for (const skill of assessment.targetSkills) {
    const known =
      truth === '2pl'
        ? learner.theta.get(skill.competenceId)! >= assessment.skillDifficulty.get(skill.id)!
        : skill.level <= learner.mastered.get(skill.tubeId)!;
    if (known) knowledge.set(skill.id, { status: 'validated', source: 'direct' });
  }
  const scores = scoreCompetences(
    assessment.competenceIds,
    knowledge,
    assessment.skillPix,
    (id) => assessment.bank.skills.get(id)?.competenceId,
    assessment.settings.maxLevel,
  );
  return scores.map((s) => {
    const theta = learner.theta.get(s.competenceId)!;
    // Under 2PL the true level is the largest L with θ ≥ L; under knowledge truth, the level the
    // mastered skills score.
    const level =
      truth === '2pl' ? Math.max(0, Math.min(assessment.settings.maxLevel, Math.floor(theta))) : s.level;
    return { ...s, level, theta };
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

export function simulate(args: z.infer<typeof argsSchema>, bank: ContentBank) {
  const { target, audience } = targetFor(bank, args.parcours);
  const irt = {
    ...(args.irt ? irtOverridesSchema.parse(JSON.parse(args.irt)) : {}),
    ...(args['stop-sd'] !== undefined ? { stopSd: args['stop-sd'] } : {}),
    ...(args['max-per-competence'] !== undefined ? { maxPerCompetence: args['max-per-competence'] } : {}),
    ...(args['min-per-competence'] !== undefined ? { minPerCompetence: args['min-per-competence'] } : {}),
  };
  const config: AssessmentConfig = {
    target,
    algorithm: args.algorithm,
    seed: 0,
    locale: 'fr',
    ...(audience ? { audience } : {}),
  };
  const base = startAssessment(bank, config, { irt });
  const learners = drawLearners(bank, args.seed, args.learners);
  const questions: number[] = [];
  let cells = 0;
  let exact = 0;
  let withinOne = 0;
  let pixError = 0;
  let thetaSquared = 0;
  learners.forEach((learner, i) => {
    const assessment: Assessment = { ...base, config: { ...base.config, seed: deriveSeed(args.seed, i) } };
    const random = seededRandom(deriveSeed(args.seed ^ 0x7f4a7c15, i));
    const stored: StoredAnswer[] = [];
    for (;;) {
      const next = nextChallenge(assessment, stored);
      if (next.done) break;
      stored.push({
        challengeId: next.challenge.id,
        status: answers(args.truth, learner, next.challenge, random) ? 'ok' : 'ko',
      });
    }
    questions.push(stored.length);
    const result = computeResult(assessment, stored);
    const truth = trueScores(assessment, args.truth, learner);
    result.competences.forEach((c, k) => {
      const t = truth[k]!;
      cells++;
      if (c.level === t.level) exact++;
      if (Math.abs(c.level - t.level) <= 1) withinOne++;
      pixError += Math.abs(c.pix - t.pix);
      const estimate = c.theta ?? predictLevel([]);
      thetaSquared += (estimate - t.theta) ** 2;
    });
  });
  const round = (x: number, digits = 3) => Number(x.toFixed(digits));
  return {
    algorithm: args.algorithm,
    truth: args.truth,
    parcours: args.parcours,
    learners: args.learners,
    meanQuestions: round(questions.reduce((a, b) => a + b, 0) / questions.length, 2),
    p95Questions: percentile(questions, 0.95),
    levelExact: round(exact / cells),
    levelWithinOne: round(withinOne / cells),
    pixMeanAbsError: round(pixError / cells, 2),
    thetaRmse: round(Math.sqrt(thetaSquared / cells)),
  };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const { bank, note } = loadBank(args.content);
  const summary = simulate(args, bank);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `bank: ${note}, ${bank.challenges.size} challenges, ${bank.skills.size} skills (${seconds} s)\n` +
      Object.entries(summary)
        .map(([k, v]) => `${k.padEnd(16)} ${v}`)
        .join('\n') +
      '\n',
  );
}

if (require.main === module) main();
