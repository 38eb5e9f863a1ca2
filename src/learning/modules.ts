import { z } from 'zod';
import { matchesAccepted } from '../assessment';
import type { Locale, ModuleDef, ModuleElement } from '../content/schema';
import type { AttemptRow, ElementAnswerRow } from '../db/repositories/attempts';
import { gradableElements, grainsOf, type ActivityStep } from './activity';
import {
  _endStepForModules as endStep,
  attemptActivity,
  LearningError,
  loadAttempt,
  progressOf,
} from './attempts';
import type { LearnerScope, LearningDeps } from './deps';
import { recordAttemptEvent } from './events';
import { readProgress } from './progress';

/** A learner's submission for one interactive element, as parsed from the form. */
export const elementSubmissionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('qcu'), choice: z.string().max(200) }),
  z.object({ kind: z.literal('qcm'), choices: z.array(z.string().max(200)).max(50) }),
  z.object({ kind: z.literal('qrocm'), values: z.record(z.string().max(200), z.string().max(2000)) }),
  z.object({ kind: z.literal('sorter'), cards: z.record(z.string().max(200), z.string().max(200)) }),
  z.object({ kind: z.literal('flashcards'), seen: z.literal(true) }),
]);
export type ElementSubmission = z.infer<typeof elementSubmissionSchema>;

export type InteractiveElement = Extract<
  ModuleElement,
  { type: 'qcu' | 'qcm' | 'qrocm' | 'sorter' | 'flashcards' }
>;

export function isInteractive(e: ModuleElement): e is InteractiveElement {
  return (
    e.type === 'qcu' ||
    e.type === 'qcm' ||
    e.type === 'qrocm' ||
    e.type === 'sorter' ||
    e.type === 'flashcards'
  );
}

/** Right or wrong (null: nothing to grade), and per part (qrocm fields, sorter cards). */
export function checkElement(
  element: InteractiveElement,
  submission: ElementSubmission,
  locale: Locale,
): { correct: boolean | null; parts?: Record<string, boolean> } | undefined {
  if (submission.kind !== element.type) return undefined;
  switch (element.type) {
    case 'qcu':
      return { correct: (submission as { choice: string }).choice === element.solution };
    case 'qcm': {
      const chosen = new Set((submission as { choices: string[] }).choices);
      const expected = new Set(element.solution);
      return { correct: chosen.size === expected.size && [...chosen].every((c) => expected.has(c)) };
    }
    case 'qrocm': {
      const values = (submission as { values: Record<string, string> }).values;
      const parts = Object.fromEntries(
        element.fields.map((f) => {
          const accepted = element.solution[f.id];
          const ok =
            accepted !== undefined &&
            matchesAccepted(values[f.id] ?? '', accepted, element.tolerances, locale, {
              numeric: f.kind === 'number',
            });
          return [f.id, ok];
        }),
      );
      return { correct: Object.values(parts).every(Boolean), parts };
    }
    case 'sorter': {
      const cards = (submission as { cards: Record<string, string> }).cards;
      const parts = Object.fromEntries(element.cards.map((c) => [c.id, cards[c.id] === c.category]));
      return { correct: Object.values(parts).every(Boolean), parts };
    }
    case 'flashcards':
      return { correct: null };
  }
}

/** True when the submission leaves the element unanswered (the page asks again). */
export function isEmptySubmission(element: InteractiveElement, s: ElementSubmission): boolean {
  switch (s.kind) {
    case 'qcu':
      return !s.choice;
    case 'qcm':
      return s.choices.length === 0;
    case 'qrocm':
      return Object.values(s.values).every((v) => !v.trim());
    case 'sorter':
      return element.type === 'sorter' && element.cards.some((c) => !s.cards[c.id]);
    case 'flashcards':
      return false;
  }
}

export interface ModuleState {
  attempt: AttemptRow;
  step: Extract<ActivityStep, { kind: 'module' }>;
  module: ModuleDef;
  grains: ReturnType<typeof grainsOf>;
  /** Grain ids the learner went past. */
  seen: string[];
  /** Index of the first grain not yet passed (grains.length when all are). */
  current: number;
  answers: Map<string, ElementAnswerRow>;
}

/** The module step in progress (or the one named by stepId, already done, for review). */
export async function moduleState(
  deps: LearningDeps,
  scope: LearnerScope,
  attemptId: string,
  stepId?: string,
): Promise<ModuleState | undefined> {
  const attempt = await loadAttempt(deps, scope, attemptId);
  const activity = attemptActivity(deps, attempt);
  const step = stepId
    ? activity.steps.find((s) => s.id === stepId)
    : attempt.status === 'started'
      ? activity.steps[attempt.step_index]
      : undefined;
  if (!step || step.kind !== 'module') return undefined;
  const grains = grainsOf(step.module);
  const seen = readProgress(attempt.progress).grains[step.id] ?? [];
  const rows = await deps.attempts.elementAnswers(deps.attempts.db, attempt.id, step.module.id);
  return {
    attempt,
    step,
    module: step.module,
    grains,
    seen,
    current: Math.min(seen.length, grains.length),
    answers: new Map(rows.map((r) => [r.element_id, r])),
  };
}

export type ElementOutcome =
  | { kind: 'stored'; correct: boolean | null }
  | { kind: 'duplicate' }
  | { kind: 'empty' }
  | { kind: 'invalid' };

/**
 * Stores the first answer to an interactive element of the current module step and reports it to the
 * sinks in the same transaction. The page then shows the server's feedback for the stored answer.
 */
export async function answerElement(
  deps: LearningDeps,
  scope: LearnerScope,
  attemptId: string,
  elementId: string,
  submission: ElementSubmission,
): Promise<ElementOutcome> {
  return deps.attempts.transaction(async (tx) => {
    const attempt = await loadAttempt(deps, scope, attemptId, tx, true);
    if (attempt.status !== 'started') return { kind: 'invalid' } as const;
    const activity = attemptActivity(deps, attempt);
    const step = activity.steps[attempt.step_index];
    if (!step || step.kind !== 'module') return { kind: 'invalid' } as const;
    const element = step.module.sections
      .flatMap((s) => s.grains)
      .flatMap((g) => g.elements)
      .find((e) => e.id === elementId);
    if (!element || !isInteractive(element)) return { kind: 'invalid' } as const;
    const checked = checkElement(element, submission, attempt.locale as Locale);
    if (!checked) return { kind: 'invalid' } as const;
    if (isEmptySubmission(element, submission)) return { kind: 'empty' } as const;
    const stored = await deps.attempts.insertElementAnswer(tx, {
      attempt_id: attempt.id,
      module_id: step.module.id,
      element_id: element.id,
      value: JSON.stringify(submission),
      correct: checked.correct === null ? null : checked.correct ? 1 : 0,
      answered_at: deps.clock.now(),
    });
    if (!stored) return { kind: 'duplicate' } as const;
    await recordAttemptEvent(deps.sinks, tx, {
      type: 'progressed',
      attemptId: attempt.id,
      placementId: attempt.placement_id,
      platformId: attempt.platform_id,
      userSub: attempt.user_sub,
      activity: { kind: attempt.activity_kind, id: attempt.activity_id },
      at: deps.clock.now(),
      progress: progressOf(deps, attempt, activity, 0),
    });
    return { kind: 'stored', correct: checked.correct } as const;
  });
}

/**
 * The learner leaves grain `grainId` (the current one) for the next. Past the last grain, the module
 * step ends: its mastery is the share of gradable elements answered right (100 when it has none).
 * Returns whether the step ended.
 */
export async function continueModule(
  deps: LearningDeps,
  scope: LearnerScope,
  attemptId: string,
  grainId: string,
): Promise<{ moved: boolean; stepEnded: boolean }> {
  return deps.attempts.transaction(async (tx) => {
    const attempt = await loadAttempt(deps, scope, attemptId, tx, true);
    if (attempt.status !== 'started') return { moved: false, stepEnded: false };
    const activity = attemptActivity(deps, attempt);
    const step = activity.steps[attempt.step_index];
    if (!step || step.kind !== 'module') throw new LearningError('wrong_step');
    const grains = grainsOf(step.module);
    const progress = readProgress(attempt.progress);
    const seen = progress.grains[step.id] ?? [];
    const current = grains[seen.length];
    // A stale form (back button, second tab) for another grain changes nothing.
    if (!current || current.grain.id !== grainId) return { moved: false, stepEnded: false };
    progress.grains[step.id] = [...seen, grainId];
    const now = deps.clock.now();
    if (seen.length + 1 < grains.length) {
      const json = JSON.stringify(progress);
      await deps.attempts.setProgress(tx, attempt.id, json, now);
      const after = { ...attempt, progress: json };
      await recordAttemptEvent(deps.sinks, tx, {
        type: 'progressed',
        attemptId: attempt.id,
        placementId: attempt.placement_id,
        platformId: attempt.platform_id,
        userSub: attempt.user_sub,
        activity: { kind: attempt.activity_kind, id: attempt.activity_id },
        at: now,
        progress: progressOf(deps, after, activity, 0),
      });
      return { moved: true, stepEnded: false };
    }
    const answers = await deps.attempts.elementAnswers(tx, attempt.id, step.module.id);
    const gradable = gradableElements(step.module);
    const right = gradable.filter((e) => answers.find((a) => a.element_id === e.id)?.correct === 1).length;
    const masteryPercent = gradable.length ? Math.round((right / gradable.length) * 100) : 100;
    await endStep(deps, tx, { ...attempt, progress: JSON.stringify(progress) }, activity, {
      kind: 'module',
      completedAt: now,
      pix: 0,
      maxPix: 0,
      masteryPercent,
    });
    return { moved: true, stepEnded: true };
  });
}
