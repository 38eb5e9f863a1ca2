import { z } from 'zod';
import type { DashboardAttempt } from '../db/repositories/dashboard';
import { levelsOf } from './class-view';

/**
 * An attempt's summary for the dashboard: its level per competence, as a small JSON object
 * ({"1.1": 2, ...}) stored beside the attempt, so that a class view does not parse every learner's
 * whole progress document on each request.
 */
const summarySchema = z.record(z.string(), z.number());

export function summaryText(levels: ReadonlyMap<string, number>): string {
  return JSON.stringify(Object.fromEntries(levels));
}

/** The levels of a stored summary; undefined when it cannot be read (then the progress is used). */
export function summaryLevels(text: string): Map<string, number> | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = summarySchema.safeParse(raw);
  return parsed.success ? new Map(Object.entries(parsed.data)) : undefined;
}

/**
 * Each attempt's levels: from its stored summary while that is current, otherwise from its progress,
 * in which case the new summary is returned in `stale` for the caller to store.
 */
export function resolveLevels(attempts: readonly DashboardAttempt[]): {
  levels: Map<string, Map<string, number>>;
  stale: { attemptId: string; updatedAt: number; levels: string }[];
} {
  const levels = new Map<string, Map<string, number>>();
  const stale: { attemptId: string; updatedAt: number; levels: string }[] = [];
  for (const a of attempts) {
    const stored = a.summary === null ? undefined : summaryLevels(a.summary);
    if (stored) {
      levels.set(a.id, stored);
      continue;
    }
    const fresh = levelsOf(a.progress);
    levels.set(a.id, fresh);
    // A summary that exists but was unreadable was read without the progress: it is rewritten on
    // the next read only if the attempt changes, so it is not stored again here.
    if (a.summary === null)
      stale.push({ attemptId: a.id, updatedAt: a.updatedAt, levels: summaryText(fresh) });
  }
  return { levels, stale };
}
