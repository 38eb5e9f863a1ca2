/**
 * npm run bench:engine — time to choose the next challenge in a 1,000-challenge synthetic bank with 40
 * answers already given (the per-request cost: state is rebuilt from stored answers every time), and
 * time to compute a result.
 */
import { performance } from 'node:perf_hooks';
import {
  computeResult,
  nextChallenge,
  seededRandom,
  startAssessment,
  type Assessment,
  type StoredAnswer,
} from '../src/assessment';
import { syntheticBank } from '../test/unit/assessment/support/synthetic-bank';

// 16 competences × 5 tubes × levels 1..(3+2i) capped at 8 × 2 variants ≈ 1,000 challenges.
const bank = syntheticBank({
  competences: 16,
  tubesPerCompetence: 5,
  challengesPerSkill: 2,
  timedEvery: 5,
  irtJitter: 0.6,
});
const target = {
  competences: [...bank.competences.keys()].map((competence) => ({ competence, maxLevel: 7 })),
};

function answersFor(assessment: Assessment, count: number): StoredAnswer[] {
  const random = seededRandom(99);
  const answers: StoredAnswer[] = [];
  while (answers.length < count) {
    const next = nextChallenge(assessment, answers);
    if (next.done) break;
    answers.push({ challengeId: next.challenge.id, status: random.next() < 0.6 ? 'ok' : 'ko' });
  }
  return answers;
}

/**
 * Wall-clock percentiles of `run`, plus the process CPU time per call (user + system, from
 * process.cpuUsage over the whole loop): on a shared machine the wall-clock tail mixes our work with
 * other processes' and the garbage collector's, the CPU time per call does not count the waiting.
 */
function measure(run: () => void, iterations: number) {
  for (let i = 0; i < Math.min(200, iterations); i++) run();
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return {
    p50: at(0.5).toFixed(3),
    p99: at(0.99).toFixed(3),
    cpu: ((cpu.user + cpu.system) / 1000 / iterations).toFixed(3),
  };
}

// The floor: the same measurement around a call that does nothing. Its p99 is what the machine
// (scheduling, timer, GC of the harness) adds to any call, whatever the engine does.
let sink = 0;
const noop = measure(() => {
  sink++;
}, 20000);
// A fixed amount of arithmetic of about a call's median: its tail is pure machine contention.
const spin = measure(() => {
  let x = 0;
  for (let i = 0; i < 60000; i++) x += Math.sqrt(i);
  sink += x > 0 ? 1 : 0;
}, 5000);

const rows: Record<string, string>[] = [];
for (const algorithm of ['irt', 'smart-random', 'random'] as const) {
  const assessment = startAssessment(bank, { target, algorithm, seed: 5, locale: 'fr', maxChallenges: 200 });
  const answers = answersFor(assessment, 40);
  const next = measure(() => nextChallenge(assessment, answers), 5000);
  // Cold: two learners alternate, so no per-assessment cache can reuse the previous call's work.
  const other = answersFor({ ...assessment, config: { ...assessment.config, seed: 6 } }, 40);
  let flip = 0;
  const cold = measure(() => nextChallenge(assessment, ++flip % 2 === 0 ? answers : other), 5000);
  const result = measure(() => computeResult(assessment, answers), 500);
  const start = measure(() => startAssessment(bank, { target, algorithm, seed: 5, locale: 'fr' }), 100);
  rows.push({
    algorithm,
    challenges: String(bank.challenges.size),
    answers: String(answers.length),
    'next p50 ms': next.p50,
    'next p99 ms': next.p99,
    'next cpu ms/call': next.cpu,
    'cold p50 ms': cold.p50,
    'cold p99 ms': cold.p99,
    'result p50 ms': result.p50,
    'result p99 ms': result.p99,
    'start p50 ms': start.p50,
  });
}
rows.push({
  algorithm: '(no-op loop)',
  'next p50 ms': noop.p50,
  'next p99 ms': noop.p99,
  'next cpu ms/call': noop.cpu,
});
rows.push({
  algorithm: '(fixed spin)',
  'next p50 ms': spin.p50,
  'next p99 ms': spin.p99,
  'next cpu ms/call': spin.cpu,
});
console.table(rows);
if (sink < 0) console.log(sink);
