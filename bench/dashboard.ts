// npm run bench:dashboard: the teacher dashboard of a 2,000-learner class (roster, latest attempts with
// engine results for 16 competences, 20 answers each, one delivered score each), on SQLite and
// PostgreSQL: the data and model alone (the first view apart: it writes the attempts' level summaries),
// then the whole HTTP page. BENCH_LEARNERS sets the class size.
import crypto from 'node:crypto';
import os from 'node:os';
import { assessmentConfigForStep, startAssessment } from '../src/assessment';
import { loadClassView } from '../src/dashboard';
import { createAttemptRepository } from '../src/db/repositories/attempts';
import { createDashboardRepository } from '../src/db/repositories/dashboard';
import { createMembershipRepository } from '../src/db/repositories/memberships';
import { createPlacementRepository } from '../src/db/repositories/placements';
import { createPlatformRepository } from '../src/db/repositories/platforms';
import { AGS_SCORE_KIND, agsCoalesceKey } from '../src/grades';
import { createTestDb, testDialects, type TestDb } from '../test/support/databases';
import { contentBank, startTeacherTool } from '../test/integration/teacher/tool';

const N = Number(process.env.BENCH_LEARNERS ?? 2000);
const ANSWERS = 20;
const RUNS = 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** An engine-shaped result for rentree-6e with random levels (what the learner side stores per step). */
function fakeStepResult(rand: () => number) {
  const bank = contentBank();
  const parcours = bank.parcours.get('rentree-6e')!;
  const step = parcours.steps.find((s) => s.type === 'assessment')!;
  if (step.type !== 'assessment') throw new Error('no assessment');
  const a = startAssessment(bank, assessmentConfigForStep(parcours, step, { seed: 0, locale: 'fr' }));
  const competences = a.competenceIds.map((competenceId) => {
    const level = Math.floor(rand() * 3);
    return { competenceId, pix: level * 8, level, answered: 2 };
  });
  const skills = a.targetSkills.map((s) => ({
    skillId: s.id,
    status: rand() < 0.5 ? 'validated' : 'invalidated',
    source: 'inferred',
  }));
  return {
    competences,
    pix: competences.reduce((n, c) => n + c.pix, 0),
    mastery: 0.5,
    masteryPercent: 50,
    badges: [],
    skills,
    validatedSkills: skills.filter((s) => s.status === 'validated').map((s) => s.skillId),
    invalidatedSkills: skills.filter((s) => s.status !== 'validated').map((s) => s.skillId),
    tubes: a.tubes.map((t) => ({
      tubeId: t.tubeId,
      competenceId: t.competenceId,
      validated: 1,
      total: t.skills.length,
      mastery: 0.5,
    })),
    strengths: [],
    weaknesses: [],
  };
}

export async function seed(db: TestDb) {
  let s = 7;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const now = Date.now();
  const platform = await createPlatformRepository(db, { now: () => now }).add({
    issuer: 'https://moodle.bench',
    clientId: 'bench',
    name: 'Bench',
    authEndpoint: 'https://moodle.bench/mod/lti/auth.php',
    tokenEndpoint: 'https://moodle.bench/mod/lti/token.php',
    jwksUri: 'https://moodle.bench/mod/lti/certs.php',
    status: 'active',
    source: 'manual',
    deploymentIds: ['1'],
  });
  const placements = createPlacementRepository(db);
  const placement = await placements.upsertFromLaunch(
    { platformId: platform.id, deploymentId: '1', resourceLinkId: 'rl-bench' },
    {
      contextId: 'c-bench',
      contextTitle: 'Classe',
      title: 'Rentrée',
      lineitemsUrl: null,
      lineitemUrl: null,
      agsScopes: [],
      nrpsUrl: null,
    },
    now,
    () => crypto.randomUUID(),
  );
  await placements.bindActivity(
    platform.id,
    placement.id,
    { kind: 'parcours', id: 'rentree-6e', grading: 'mastery' },
    now,
  );
  const subs = Array.from({ length: N }, (_, i) => `learner-${i + 1}`);
  await createMembershipRepository(db).replace(
    platform.id,
    'c-bench',
    [
      ...subs.map((sub, i) => ({
        userSub: sub,
        roles: ['Learner'],
        status: 'Active',
        name: `Apprenant ${i + 1}`,
        givenName: null,
        familyName: null,
        email: null,
      })),
      {
        userSub: 'teacher',
        roles: ['Instructor'],
        status: 'Active',
        name: 'Prof',
        givenName: null,
        familyName: null,
        email: null,
      },
    ],
    now,
  );
  const attempts = createAttemptRepository(db);
  const challengeIds = [...contentBank().challenges.keys()];
  await attempts.transaction(async (tx) => {
    for (const [i, sub] of subs.entries()) {
      if (i % 10 === 9) continue; // a tenth has not started
      const id = `att-${i}`;
      const completed = i % 3 !== 0;
      await attempts.insert(tx, {
        id,
        placement_id: placement.id,
        platform_id: platform.id,
        user_sub: sub,
        number: 1,
        activity_kind: 'parcours',
        activity_id: 'rentree-6e',
        content_version: 'bench',
        algorithm: 'smart-random',
        seed: i,
        locale: 'fr',
        status: completed ? 'completed' : 'started',
        step_index: completed ? 1 : 0,
        current_challenge_id: null,
        current_shown_at: null,
        progress: JSON.stringify({
          done: completed
            ? {
                positionnement: {
                  kind: 'assessment',
                  completedAt: now,
                  pix: 40,
                  maxPix: 252,
                  masteryPercent: 50,
                  result: fakeStepResult(rand),
                },
              }
            : {},
          grains: {},
        }),
        result: completed
          ? JSON.stringify({ pix: 40, maxPix: 252, masteryPercent: 50, attestationEarned: false })
          : null,
        started_at: now - 3_600_000,
        updated_at: now - i * 1000,
        completed_at: completed ? now : null,
      });
      for (let j = 0; j < ANSWERS; j++) {
        await attempts.insertAnswer(tx, {
          attempt_id: id,
          challenge_id: challengeIds[(i * 7 + j) % challengeIds.length]!,
          step_index: 0,
          seq: j + 1,
          value: null,
          status: rand() < 0.6 ? 'ok' : 'ko',
          fields: null,
          shown_at: now - 60_000,
          answered_at: now - 30_000,
          time_spent_ms: 20_000 + Math.floor(rand() * 40_000),
        });
      }
    }
  });
  const tool = await startTeacherTool(db, { now: () => Date.now() });
  for (const [i, sub] of subs.entries()) {
    if (i % 10 === 9) continue;
    await tool.services.grades.outbox.enqueue(
      {
        id: `${String(now).padStart(13, '0')}-${i}`,
        kind: AGS_SCORE_KIND,
        platformId: platform.id,
        target: 'https://moodle.bench/lineitem',
        coalesceKey: agsCoalesceKey(placement.id, sub),
        payload: '{}',
        nextAttemptAt: now,
      },
      now,
    );
  }
  return { platform, placement, tool };
}

async function main() {
  console.log(
    `bench:dashboard — ${N} learners, ${ANSWERS} answers each, Node ${process.version}, ${os.cpus()[0]?.model}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    '| database | first view: data + model, summaries written | data + model, whole class (median) | whole page over HTTP, first 100 rows (median) | page size |',
  );
  console.log('|---|---|---|---|---|');
  contentBank();
  for (const dialect of testDialects()) {
    const db = await createTestDb(dialect);
    try {
      const { placement, tool } = await seed(db);
      const entry = tool.services.catalogue!().byValue.get('parcours:rentree-6e');
      const deps = {
        dashboard: createDashboardRepository(db),
        memberships: createMembershipRepository(db),
        outbox: tool.services.grades.outbox,
      };
      const model: number[] = [];
      const modelCpu: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now();
        const c = process.cpuUsage();
        const view = await loadClassView(deps, placement, entry, {
          view: 'staff',
          sub: 'teacher',
          mentees: [],
        });
        model.push(performance.now() - t);
        const used = process.cpuUsage(c);
        modelCpu.push((used.user + used.system) / 1000);
        if (view.rows.length !== N) throw new Error(`rows ${view.rows.length}`);
      }
      const { token } = await tool.lti.sessions.create({
        platformId: placement.platformId,
        deploymentId: '1',
        userSub: 'teacher',
        contextId: 'c-bench',
        resourceLinkId: 'rl-bench',
        messageType: 'LtiResourceLinkRequest',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
        locale: 'fr',
        launch: {
          issuer: 'https://moodle.bench',
          clientId: 'bench',
          messageType: 'LtiResourceLinkRequest',
          view: 'staff',
          name: 'Prof',
          roleScopeMentor: [],
          targetLinkUri: `${tool.url}/lti/launch`,
          context: { id: 'c-bench', title: 'Classe' },
          resourceLink: { id: 'rl-bench' },
          custom: {},
        },
      });
      const page: number[] = [];
      const pageCpu: number[] = [];
      let size = 0;
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now();
        const c = process.cpuUsage();
        const res = await fetch(`${tool.url}/teacher/dashboard?ls=${encodeURIComponent(token)}`);
        const body = await res.text();
        page.push(performance.now() - t);
        const used = process.cpuUsage(c);
        pageCpu.push((used.user + used.system) / 1000);
        const rows = (body.match(/<tr data-learner=/g) ?? []).length;
        if (res.status !== 200 || rows !== Math.min(N, 100))
          throw new Error(`page ${res.status}, ${rows} rows`);
        size = body.length;
      }
      console.log(
        `| ${dialect} | ${model[0]!.toFixed(0)} ms (CPU ${modelCpu[0]!.toFixed(0)} ms) | ` +
          `${median(model.slice(1)).toFixed(0)} ms (CPU ${median(modelCpu.slice(1)).toFixed(0)} ms) | ` +
          `${median(page).toFixed(0)} ms (CPU ${median(pageCpu).toFixed(0)} ms) | ${(size / 1024).toFixed(0)} KiB |`,
      );
      await tool.close();
    } finally {
      await db.drop();
    }
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
