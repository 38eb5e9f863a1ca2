import type { ContentBank } from './bank';
import { INTERACTIVE_ELEMENTS, LOCALES, type ChallengeType, type Locale } from './schema';

export interface ContentStats {
  competences: number;
  tubes: number;
  skills: number;
  challenges: number;
  byCompetence: Record<string, { challenges: number; byLevel: Record<string, number> }>;
  byType: Partial<Record<ChallengeType, number>>;
  modules: { id: string; title: string; minutes: number; interactiveElements: number }[];
  parcours: number;
  /** The locales every challenge and module is complete in. */
  locales: Locale[];
}

const interactive: readonly string[] = INTERACTIVE_ELEMENTS;
const CHALLENGE_TYPES: ChallengeType[] = ['QCU', 'QCM', 'QROC', 'QROCM-ind', 'QROCM-dep'];

/** Counts for authors and reviewers; `competences` counts those with at least one tube. */
export function contentStats(bank: ContentBank): ContentStats {
  const byCompetence: ContentStats['byCompetence'] = {};
  const byType: ContentStats['byType'] = {};
  for (const challenge of bank.challenges.values()) {
    const entry = (byCompetence[challenge.competenceId] ??= { challenges: 0, byLevel: {} });
    entry.challenges++;
    entry.byLevel[String(challenge.level)] = (entry.byLevel[String(challenge.level)] ?? 0) + 1;
    byType[challenge.type] = (byType[challenge.type] ?? 0) + 1;
  }
  const ordered = Object.fromEntries(
    [...bank.competences.keys()].filter((id) => byCompetence[id]).map((id) => [id, byCompetence[id]!]),
  );
  const challenges = [...bank.challenges.values()];
  return {
    competences: [...bank.competences.values()].filter((c) => c.tubeIds.length > 0).length,
    tubes: bank.tubes.size,
    skills: bank.skills.size,
    challenges: bank.challenges.size,
    byCompetence: ordered,
    byType: Object.fromEntries(CHALLENGE_TYPES.filter((t) => byType[t]).map((t) => [t, byType[t]])),
    modules: [...bank.modules.values()].map((m) => ({
      id: m.id,
      title: m.title.fr,
      minutes: m.details.minutes,
      interactiveElements: m.sections
        .flatMap((s) => s.grains.flatMap((g) => g.elements))
        .filter((e) => interactive.includes(e.type)).length,
    })),
    parcours: bank.parcours.size,
    // Module texts are bilingual by schema; challenges may declare fewer locales.
    locales: LOCALES.filter((locale) => challenges.every((c) => c.locales.includes(locale))),
  };
}

/** A plain-text table for the terminal. */
export function formatStats(stats: ContentStats): string {
  const pad = (rows: string[][]): string => {
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    return rows
      .map((r) =>
        r
          .map((cell, i) => (/^\d+$/.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
          .join('  '),
      )
      .join('\n');
  };
  const levels = [1, 2, 3, 4, 5, 6, 7, 8].filter((l) =>
    Object.values(stats.byCompetence).some((c) => c.byLevel[String(l)]),
  );
  const competenceRows = [
    ['competence', 'challenges', ...levels.map((l) => `L${l}`)],
    ...Object.entries(stats.byCompetence).map(([id, c]) => [
      id,
      String(c.challenges),
      ...levels.map((l) => String(c.byLevel[String(l)] ?? 0)),
    ]),
  ];
  const moduleRows = [
    ['module', 'minutes', 'interactive', 'title'],
    ...stats.modules.map((m) => [m.id, String(m.minutes), String(m.interactiveElements), m.title]),
  ];
  return [
    `${stats.competences} competences with content, ${stats.tubes} tubes, ${stats.skills} skills, ${stats.challenges} challenges, ${stats.modules.length} modules, ${stats.parcours} parcours; complete in: ${stats.locales.join(', ') || 'none'}`,
    '',
    pad(competenceRows),
    '',
    pad([['type', 'challenges'], ...Object.entries(stats.byType).map(([t, n]) => [t, String(n)])]),
    '',
    stats.modules.length ? pad(moduleRows) : 'no modules',
  ].join('\n');
}
