import {
  answerValueSchema,
  checkAnswer,
  computeResult,
  nextChallenge,
  parcoursOutcome,
  type AnswerValue,
  type AssessmentResult,
  type StoredAnswer,
} from '../assessment';
import type { Challenge } from '../content/bank';
import type { Locale } from '../content/schema';
import type { AnswerRow, AttemptRow, Q } from '../db/repositories/attempts';
import type { PlacementRecord } from '../db/repositories/placements';
import {
  activityDef,
  expectedChallenges,
  grainsOf,
  maxPixOf,
  type ActivityDef,
  type ActivityStep,
} from './activity';
import type { LearnerScope, LearningDeps } from './deps';
import { recordAttemptEvent, type AttemptEvent, type LearningTransaction } from './events';
import { readProgress, type AttemptProgress, type AttemptResult, type StepOutcome } from './progress';

/** A checkpoint page follows every this many answers of an assessment step. */
export const CHECKPOINT_EVERY = 5;

export class LearningError extends Error {
  constructor(
    public readonly code: 'placement_unbound' | 'activity_missing' | 'attempt_missing' | 'wrong_step',
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'LearningError';
  }
}

// ------------------------------------------------------------------------------------ loading

export function placementActivity(deps: LearningDeps, placement: PlacementRecord): ActivityDef | undefined {
  if (!placement.activityKind || !placement.activityId) return undefined;
  return activityDef(deps.bank, { kind: placement.activityKind, id: placement.activityId });
}

/** The attempt's activity (its own kind and id: a rebinding of the placement does not change it). */
export function attemptActivity(deps: LearningDeps, attempt: AttemptRow): ActivityDef {
  const def = activityDef(deps.bank, { kind: attempt.activity_kind, id: attempt.activity_id });
  if (!def) throw new LearningError('activity_missing', `${attempt.activity_kind} ${attempt.activity_id}`);
  return def;
}

export async function latestAttempt(
  deps: LearningDeps,
  scope: LearnerScope,
  placementId: string,
): Promise<AttemptRow | undefined> {
  const row = await deps.attempts.latest(deps.attempts.db, placementId, scope.userSub);
  return row && row.platform_id === scope.platformId ? row : undefined;
}

export async function loadAttempt(
  deps: LearningDeps,
  scope: LearnerScope,
  attemptId: string,
  q: Q = deps.attempts.db,
  lock = false,
): Promise<AttemptRow> {
  const row = await deps.attempts.find(q, scope, attemptId, lock);
  if (!row) throw new LearningError('attempt_missing');
  return row;
}

// ------------------------------------------------------------------------------------ events

function stepFraction(deps: LearningDeps, attempt: AttemptRow, activity: ActivityDef, answered: number) {
  const step = activity.steps[attempt.step_index];
  if (!step) return 0;
  if (step.kind === 'module') {
    const seen = readProgress(attempt.progress).grains[step.id]?.length ?? 0;
    return Math.min(1, seen / Math.max(1, grainsOf(step.module).length));
  }
  const assessment = deps.assessments.for(activity, step, attempt.seed, attempt.locale as Locale);
  // Adaptive tests end early or late: never claim the step done before it is.
  return Math.min(0.95, answered / expectedChallenges(assessment));
}

export function progressOf(
  deps: LearningDeps,
  attempt: AttemptRow,
  activity: ActivityDef,
  answeredInStep: number,
): number {
  if (attempt.status === 'completed') return 1;
  const steps = Math.max(1, activity.steps.length);
  const share = stepFraction(deps, attempt, activity, answeredInStep);
  return Math.min(1, (attempt.step_index + share) / steps);
}

function summaryOf(progress: AttemptProgress, activity: ActivityDef, completed: boolean) {
  const outcomes = Object.values(progress.done);
  const pix = outcomes.reduce((n, o) => n + o.pix, 0);
  const maxPix = outcomes.reduce((n, o) => n + o.maxPix, 0);
  const mastery = masteryOf(progress, activity) / 100;
  return { pix, maxPix, mastery, completed };
}

/** Parcours mastery (mean of its assessment steps); an activity without assessment: its modules'. */
export function masteryOf(progress: AttemptProgress, activity: ActivityDef): number {
  const assessed = activity.steps.filter((s) => s.kind === 'assessment');
  const pool = assessed.length > 0 ? assessed : activity.steps;
  const known = pool
    .map((s) => progress.done[s.id]?.masteryPercent)
    .filter((m): m is number => m !== undefined);
  return known.length ? Math.round(known.reduce((a, b) => a + b, 0) / known.length) : 0;
}

async function emit(
  deps: LearningDeps,
  tx: LearningTransaction,
  type: AttemptEvent['type'],
  attempt: AttemptRow,
  progress: number,
  result?: AttemptEvent['result'],
): Promise<void> {
  await recordAttemptEvent(deps.sinks, tx, {
    type,
    attemptId: attempt.id,
    placementId: attempt.placement_id,
    platformId: attempt.platform_id,
    userSub: attempt.user_sub,
    activity: { kind: attempt.activity_kind, id: attempt.activity_id },
    at: deps.clock.now(),
    attemptStartedAt: attempt.started_at,
    progress,
    ...(result ? { result } : {}),
  });
}

// ------------------------------------------------------------------------------------ start

/**
 * The learner's attempt on this placement: the latest one, or a new one (number 1) when none exists.
 * Two tabs starting at once create one attempt (unique placement, learner, number).
 */
export async function startOrResume(
  deps: LearningDeps,
  scope: LearnerScope,
  placement: PlacementRecord,
  locale: Locale,
): Promise<AttemptRow> {
  const existing = await latestAttempt(deps, scope, placement.id);
  if (existing) return existing;
  const activity = placementActivity(deps, placement);
  if (!activity) throw new LearningError('placement_unbound');
  const now = deps.clock.now();
  return deps.attempts.transaction(async (tx) => {
    const row: AttemptRow = {
      id: deps.random.id(),
      placement_id: placement.id,
      platform_id: scope.platformId,
      user_sub: scope.userSub,
      number: 1,
      activity_kind: activity.ref.kind,
      activity_id: activity.ref.id,
      content_version: deps.bank.version,
      algorithm: activity.parcours?.algorithm ?? null,
      seed: deps.random.seed(),
      locale,
      status: 'started',
      step_index: 0,
      current_challenge_id: null,
      current_shown_at: null,
      progress: JSON.stringify({ done: {}, grains: {} }),
      result: null,
      started_at: now,
      updated_at: now,
      completed_at: null,
    };
    const created = await deps.attempts.insert(tx, row);
    const stored = await deps.attempts.latest(tx, placement.id, scope.userSub);
    if (!stored) throw new LearningError('attempt_missing');
    if (created) await emit(deps, tx, 'started', stored, 0);
    return stored;
  });
}

/** Where the learner goes now: the current step's page, or the results. */
export function currentStep(
  deps: LearningDeps,
  attempt: AttemptRow,
): { kind: 'done' } | { kind: ActivityStep['kind']; step: ActivityStep; index: number } {
  const activity = attemptActivity(deps, attempt);
  const step = attempt.status === 'completed' ? undefined : activity.steps[attempt.step_index];
  return step ? { kind: step.kind, step, index: attempt.step_index } : { kind: 'done' };
}

// ------------------------------------------------------------------------------------ step end

/**
 * Ends the current step once (a conditional update on step_index), stores its outcome, and when it
 * was the last one completes the attempt (result, attestation, `completed` event).
 */
async function endStep(
  deps: LearningDeps,
  tx: LearningTransaction,
  attempt: AttemptRow,
  activity: ActivityDef,
  outcome: StepOutcome,
): Promise<void> {
  const step = activity.steps[attempt.step_index]!;
  const progress = readProgress(attempt.progress);
  progress.done[step.id] = outcome;
  const to = attempt.step_index + 1;
  const last = to >= activity.steps.length;
  let result: AttemptResult | undefined;
  if (last) {
    const outcomeOf = activity.parcours
      ? parcoursOutcome(
          activity.parcours,
          Object.keys(progress.done),
          Object.fromEntries(Object.entries(progress.done).map(([id, o]) => [id, o.masteryPercent])),
        )
      : { finished: true, masteryPercent: outcome.masteryPercent, attestationEarned: false };
    const summary = summaryOf(progress, activity, true);
    result = {
      pix: summary.pix,
      maxPix: summary.maxPix,
      masteryPercent: outcomeOf.masteryPercent ?? masteryOf(progress, activity),
      attestationEarned: outcomeOf.attestationEarned,
    };
  }
  const moved = await deps.attempts.advanceStep(tx, attempt.id, attempt.step_index, {
    to,
    progress: JSON.stringify(progress),
    now: deps.clock.now(),
    ...(result ? { completed: { result: JSON.stringify(result) } } : {}),
  });
  if (!moved) return; // another request ended it first
  const after = (await deps.attempts.findById(tx, attempt.id))!;
  if (result) {
    if (result.attestationEarned && activity.parcours?.attestation) {
      // Inside the transaction: SQLite has one connection, a query outside it would wait forever.
      const learner = await deps.learners.find(attempt.platform_id, attempt.user_sub, tx);
      const holder =
        learner?.name ?? ([learner?.given_name, learner?.family_name].filter(Boolean).join(' ') || null);
      await deps.attestations.insertOnce(
        {
          code: deps.random.code(),
          attempt_id: attempt.id,
          platform_id: attempt.platform_id,
          user_sub: attempt.user_sub,
          parcours_id: activity.ref.id,
          holder_name: holder,
          payload: JSON.stringify({ masteryPercent: result.masteryPercent ?? null }),
          issued_at: deps.clock.now(),
        },
        tx,
      );
    }
    await emit(deps, tx, 'completed', after, 1, summaryOf(progress, activity, true));
  } else {
    await emit(deps, tx, 'progressed', after, progressOf(deps, after, activity, 0), {
      ...summaryOf(progress, activity, false),
    });
  }
}

// ------------------------------------------------------------------------------------ assessment

export type ChallengeState =
  | { kind: 'done' }
  | { kind: 'not-assessment' }
  | {
      kind: 'challenge';
      attempt: AttemptRow;
      activity: ActivityDef;
      step: Extract<ActivityStep, { kind: 'assessment' }>;
      challenge: Challenge;
      /** 1-based position in the step, and how many to expect. */
      index: number;
      expected: number;
      shownAt: number;
      /** For timed challenges: when the server stops accepting a normal answer. */
      deadline?: number;
    };

const toStored = (rows: ReadonlyArray<Pick<AnswerRow, 'challenge_id' | 'status'>>): StoredAnswer[] =>
  rows.map((a) => ({ challengeId: a.challenge_id, status: a.status }));

/**
 * The challenge to show now. The one already shown (resume, reload, second tab) comes back unchanged,
 * with its original shown time (the timer keeps running); otherwise the engine's next one is recorded
 * as shown. When the engine has nothing more, the step ends here.
 */
export async function currentChallenge(
  deps: LearningDeps,
  scope: LearnerScope,
  attemptId: string,
  /** The attempt row the caller just read (saves a query); re-read on every retry. */
  loaded?: AttemptRow,
): Promise<ChallengeState> {
  for (let tries = 0; tries < 3; tries++) {
    const attempt =
      tries === 0 && loaded?.id === attemptId ? loaded : await loadAttempt(deps, scope, attemptId);
    if (attempt.status === 'completed') return { kind: 'done' };
    const activity = attemptActivity(deps, attempt);
    const step = activity.steps[attempt.step_index];
    if (!step) return { kind: 'done' };
    if (step.kind !== 'assessment') return { kind: 'not-assessment' };
    const assessment = deps.assessments.for(activity, step, attempt.seed, attempt.locale as Locale);
    // The engine needs only which challenges were answered and how: not the answers' payloads.
    const answers = await deps.attempts.answerStatuses(deps.attempts.db, attempt.id, attempt.step_index);
    const expected = Math.max(expectedChallenges(assessment), answers.length + 1);
    if (attempt.current_challenge_id && attempt.current_shown_at !== null) {
      const challenge = deps.bank.challenges.get(attempt.current_challenge_id);
      if (challenge) {
        return {
          kind: 'challenge',
          attempt,
          activity,
          step,
          challenge,
          index: answers.length + 1,
          expected,
          shownAt: attempt.current_shown_at,
          ...(challenge.timer ? { deadline: attempt.current_shown_at + challenge.timer * 1000 } : {}),
        };
      }
    }
    const next = nextChallenge(assessment, toStored(answers));
    if (next.done) {
      const result = computeResult(assessment, toStored(answers), {
        stages: activity.parcours?.stages ?? [],
        badges: activity.parcours?.badges ?? [],
      });
      await deps.attempts.transaction(async (tx) => {
        const fresh = await loadAttempt(deps, scope, attemptId, tx, true);
        if (fresh.step_index !== attempt.step_index || fresh.status !== 'started') return;
        await endStep(deps, tx, fresh, activity, {
          kind: 'assessment',
          completedAt: deps.clock.now(),
          pix: result.pix,
          maxPix: maxPixOf(assessment),
          masteryPercent: result.masteryPercent,
          result,
        });
      });
      const after = await loadAttempt(deps, scope, attemptId);
      if (after.status === 'completed') return { kind: 'done' };
      return { kind: 'not-assessment' };
    }
    // Only one request records the shown time; a concurrent one re-reads and shows the same challenge.
    const shownAt = deps.clock.now();
    const mine = await deps.attempts.showChallenge(
      deps.attempts.db,
      attempt.id,
      attempt.step_index,
      next.challenge.id,
      shownAt,
    );
    if (mine) {
      const challenge = next.challenge;
      return {
        kind: 'challenge',
        attempt: { ...attempt, current_challenge_id: challenge.id, current_shown_at: shownAt },
        activity,
        step,
        challenge,
        index: answers.length + 1,
        expected,
        shownAt,
        ...(challenge.timer ? { deadline: shownAt + challenge.timer * 1000 } : {}),
      };
    }
  }
  throw new Error('could not settle the current challenge');
}

export type AnswerInput = { challengeId: string } & ({ skip: true } | { skip?: false; value: AnswerValue });

export type AnswerOutcome =
  /** Stored now; `checkpoint` when this answer completes a group of 5. */
  | { kind: 'stored'; checkpoint: boolean; status: AnswerRow['status'] }
  /** Already stored (double submit, second tab): nothing changed. */
  | { kind: 'duplicate' }
  /** Not the challenge shown now (back button, stale tab): ignored. */
  | { kind: 'not-current' }
  /** Nothing chosen or typed: the page asks again (use skip to pass). */
  | { kind: 'empty' };

function isEmpty(challenge: Challenge, value: AnswerValue): boolean {
  if (value.type === 'choices') return value.ids.length === 0;
  if (challenge.type === 'QCU' || challenge.type === 'QCM') return true;
  return challenge.fields.every((f) => !(value.values[f.id] ?? '').trim());
}

/**
 * Stores one answer, once. Inside one transaction (the attempt row locked on PostgreSQL): the
 * challenge must be the one shown; the answer is inserted with `on conflict do nothing` on
 * (attempt, challenge); the shown challenge is cleared; the sinks see a `progressed` event.
 * A timed challenge answered after its limit plus the grace is stored as `timedout`.
 */
export async function submitAnswer(
  deps: LearningDeps,
  scope: LearnerScope,
  attemptId: string,
  input: AnswerInput,
): Promise<AnswerOutcome> {
  return deps.attempts.transaction(async (tx) =>
    storeAnswer(deps, tx, await loadAttempt(deps, scope, attemptId, tx, true), input),
  );
}

/**
 * `submitAnswer` on the learner's latest attempt on the placement, found inside the transaction
 * (one read instead of a read before it and another inside); `no-attempt` when there is none.
 */
export async function submitAnswerToLatest(
  deps: LearningDeps,
  scope: LearnerScope,
  placementId: string,
  input: AnswerInput,
): Promise<AnswerOutcome | { kind: 'no-attempt' }> {
  return deps.attempts.transaction(async (tx) => {
    const attempt = await deps.attempts.latest(tx, placementId, scope.userSub, true);
    if (!attempt || attempt.platform_id !== scope.platformId) return { kind: 'no-attempt' } as const;
    return storeAnswer(deps, tx, attempt, input);
  });
}

async function storeAnswer(
  deps: LearningDeps,
  tx: LearningTransaction,
  attempt: AttemptRow,
  input: AnswerInput,
): Promise<AnswerOutcome> {
  // Every answered challenge of the attempt in one read: duplicate check, sequence number and checkpoint.
  const before = await deps.attempts.answerKeys(tx, attempt.id);
  if (before.some((a) => a.challenge_id === input.challengeId)) return { kind: 'duplicate' };
  if (attempt.status !== 'started' || attempt.current_challenge_id !== input.challengeId) {
    return { kind: 'not-current' };
  }
  const challenge = deps.bank.challenges.get(input.challengeId);
  if (!challenge) return { kind: 'not-current' };
  const now = deps.clock.now();
  const shownAt = attempt.current_shown_at ?? now;
  let status: AnswerRow['status'];
  let fields: Record<string, boolean> | undefined;
  let value: AnswerValue | null = null;
  if (input.skip) status = 'skipped';
  else {
    value = answerValueSchema.parse(input.value);
    if (isEmpty(challenge, value)) return { kind: 'empty' };
    const checked = checkAnswer(challenge, value, attempt.locale as Locale);
    status = checked.status;
    fields = checked.fields;
  }
  if (challenge.timer && now > shownAt + challenge.timer * 1000 + deps.timerGraceMs) status = 'timedout';

  const seq = before.length + 1;
  const stored = await deps.attempts.insertAnswer(tx, {
    attempt_id: attempt.id,
    challenge_id: challenge.id,
    step_index: attempt.step_index,
    seq,
    value: value ? JSON.stringify(value) : null,
    status,
    fields: fields ? JSON.stringify(fields) : null,
    shown_at: shownAt,
    answered_at: now,
    time_spent_ms: now - shownAt,
  });
  if (!stored) return { kind: 'duplicate' };
  await deps.attempts.clearCurrent(tx, attempt.id, challenge.id, now);
  const inStep = before.filter((a) => a.step_index === attempt.step_index).length + 1;
  const activity = attemptActivity(deps, attempt);
  await emit(deps, tx, 'progressed', attempt, progressOf(deps, attempt, activity, inStep));
  return { kind: 'stored', checkpoint: inStep % CHECKPOINT_EVERY === 0, status };
}

export interface CheckpointItem {
  challenge: Challenge;
  status: AnswerRow['status'];
  position: number;
}

/** The last group of (up to) 5 answers of the current or just-finished step, with their challenges. */
export async function checkpoint(
  deps: LearningDeps,
  scope: LearnerScope,
  attemptId: string,
): Promise<{ items: CheckpointItem[]; attempt: AttemptRow }> {
  const attempt = await loadAttempt(deps, scope, attemptId);
  const all = await deps.attempts.answers(deps.attempts.db, attempt.id);
  const latestStep = all.length ? all[all.length - 1]!.step_index : attempt.step_index;
  const inStep = all.filter((a) => a.step_index === latestStep);
  const from = Math.max(0, Math.floor((inStep.length - 1) / CHECKPOINT_EVERY) * CHECKPOINT_EVERY);
  const items = inStep.slice(from).flatMap((a, i) => {
    const challenge = deps.bank.challenges.get(a.challenge_id);
    return challenge ? [{ challenge, status: a.status, position: from + i + 1 }] : [];
  });
  return { items, attempt };
}

// ------------------------------------------------------------------------------------ results

export interface StepResultView {
  step: ActivityStep;
  outcome?: StepOutcome;
  result?: AssessmentResult;
}

export async function attemptResults(deps: LearningDeps, scope: LearnerScope, attemptId: string) {
  const attempt = await loadAttempt(deps, scope, attemptId);
  const activity = attemptActivity(deps, attempt);
  const progress = readProgress(attempt.progress);
  const steps: StepResultView[] = activity.steps.map((step) => {
    const outcome = progress.done[step.id];
    return {
      step,
      ...(outcome ? { outcome } : {}),
      ...(outcome?.result ? { result: outcome.result as AssessmentResult } : {}),
    };
  });
  const attestation =
    attempt.status === 'completed' ? await deps.attestations.byAttempt(attempt.id) : undefined;
  return {
    attempt,
    activity,
    steps,
    masteryPercent: masteryOf(progress, activity),
    summary: summaryOf(progress, activity, attempt.status === 'completed'),
    attestation,
  };
}

// ------------------------------------------------------------------------------------ modules

export { endStep as _endStepForModules };
