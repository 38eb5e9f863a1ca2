import { z } from 'zod';
import type { DashboardAttempt } from '../db/repositories/dashboard';
import type { OutboxStatus } from '../db/repositories/outbox';
import type { Grading } from '../db/tables/learning';
import type { RosterMember } from '../roster';

/**
 * The teacher dashboard's model: one row per learner (status, score, pix, level per competence, time,
 * last activity, grade delivery) and the class distribution of levels per competence. Pure: the
 * caller loads the rows (scoped by platform and placement) and applies who may see whom.
 */

/** A learner's latest attempt as the model reads it: the row, with its levels already resolved. */
export type ClassAttempt = Omit<DashboardAttempt, 'summary' | 'progress'> & {
  levels: ReadonlyMap<string, number>;
};

export type LearnerStatus = 'not_started' | 'in_progress' | 'completed';

export interface Delivery {
  status: OutboxStatus;
  lastError: string | null;
  /** When the latest score row was written. */
  at: number;
  deliveredAt: number | null;
}

export interface LearnerRow {
  sub: string;
  name: string | null;
  status: LearnerStatus;
  /** 0..100, when known. */
  masteryPercent: number | null;
  pix: number | null;
  maxPix: number | null;
  /** What the gradebook gets, as a number out of `scoreMaximum` (null before completion). */
  score: number | null;
  /** Level per competence id (null: not assessed yet). */
  levels: Record<string, number | null>;
  timeSpentMs: number;
  answered: number;
  lastActivity: number | null;
  attemptId: string | null;
  delivery: Delivery | null;
}

export interface CompetenceDistribution {
  competenceId: string;
  /** counts[level] = learners at that level, for levels 0..maxLevel. */
  counts: number[];
  assessed: number;
  meanLevel: number | null;
}

export interface ClassView {
  rows: LearnerRow[];
  competences: string[];
  distribution: CompetenceDistribution[];
  totals: Record<LearnerStatus, number>;
  maxLevel: number;
}

const competenceLevelSchema = z.object({ competenceId: z.string(), level: z.number() });
const resultSchema = z.looseObject({
  pix: z.number().optional(),
  maxPix: z.number().optional(),
  masteryPercent: z.number().optional(),
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function safeJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Level per competence over the attempt's finished assessment steps (the best when several assess one). */
export function levelsOf(progressJson: string | null): Map<string, number> {
  const out = new Map<string, number>();
  const progress = safeJson(progressJson);
  // Only the competences of each finished step are read (the engine's result holds much more): the
  // dashboard reads thousands of these, so no schema walks the whole document.
  const done = isRecord(progress) && isRecord(progress.done) ? Object.values(progress.done) : [];
  for (const step of done) {
    const competences = isRecord(step) && isRecord(step.result) ? step.result.competences : undefined;
    if (!Array.isArray(competences)) continue;
    for (const raw of competences) {
      const c = competenceLevelSchema.safeParse(raw);
      if (c.success) out.set(c.data.competenceId, Math.max(out.get(c.data.competenceId) ?? 0, c.data.level));
    }
  }
  return out;
}

export function scoreFor(
  grading: Grading,
  status: LearnerStatus,
  pix: number | null,
  mastery: number | null,
): number | null {
  if (status !== 'completed') return null;
  if (grading === 'pix') return pix ?? 0;
  if (grading === 'completion') return 1;
  return mastery ?? 0;
}

export function buildClassView(input: {
  grading: Grading;
  /** The activity's competences (columns), in order. */
  competences: readonly string[];
  maxLevel: number;
  members: readonly RosterMember[];
  attempts: readonly ClassAttempt[];
  deliveries: ReadonlyMap<string, Delivery>;
  /** Names from launches, for learners the roster does not name. */
  names: ReadonlyMap<string, string>;
}): ClassView {
  const attemptBy = new Map(input.attempts.map((a) => [a.userSub, a]));
  const memberBy = new Map(input.members.map((m) => [m.userSub, m]));
  // Learners of the roster, plus anyone with an attempt (the roster may be stale or unavailable).
  const subs = [
    ...input.members.filter((m) => m.view === 'learner' && m.active).map((m) => m.userSub),
    ...input.attempts
      .map((a) => a.userSub)
      .filter((s) => {
        const m = memberBy.get(s);
        return !m || (m.view === 'learner' && !m.active);
      }),
  ];
  const rows: LearnerRow[] = [...new Set(subs)].map((sub) => {
    const a = attemptBy.get(sub);
    const m = memberBy.get(sub);
    const name = m?.name ?? ([m?.givenName, m?.familyName].filter(Boolean).join(' ') || null) ?? null;
    const status: LearnerStatus = !a ? 'not_started' : a.status === 'completed' ? 'completed' : 'in_progress';
    const result = resultSchema.safeParse(safeJson(a?.result ?? null));
    const levels = a?.levels ?? new Map<string, number>();
    const pix = result.success ? (result.data.pix ?? null) : null;
    const mastery = result.success ? (result.data.masteryPercent ?? null) : null;
    return {
      sub,
      name: name || input.names.get(sub) || null,
      status,
      masteryPercent: mastery,
      pix,
      maxPix: result.success ? (result.data.maxPix ?? null) : null,
      score: scoreFor(input.grading, status, pix, mastery),
      levels: Object.fromEntries(input.competences.map((c) => [c, levels.has(c) ? levels.get(c)! : null])),
      timeSpentMs: a?.timeSpentMs ?? 0,
      answered: a?.answered ?? 0,
      lastActivity: a?.updatedAt ?? null,
      attemptId: a?.id ?? null,
      delivery: input.deliveries.get(sub) ?? null,
    };
  });
  const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
  rows.sort((x, y) => collator.compare(x.name ?? x.sub, y.name ?? y.sub));

  const distribution = input.competences.map((competenceId) => {
    const counts = Array.from({ length: input.maxLevel + 1 }, () => 0);
    let assessed = 0;
    let sum = 0;
    for (const r of rows) {
      const level = r.levels[competenceId];
      if (level === null || level === undefined) continue;
      counts[Math.min(level, input.maxLevel)]!++;
      assessed++;
      sum += level;
    }
    return {
      competenceId,
      counts,
      assessed,
      meanLevel: assessed ? Math.round((sum / assessed) * 10) / 10 : null,
    };
  });
  const totals: Record<LearnerStatus, number> = { not_started: 0, in_progress: 0, completed: 0 };
  for (const r of rows) totals[r.status]++;
  return { rows, competences: [...input.competences], distribution, totals, maxLevel: input.maxLevel };
}
