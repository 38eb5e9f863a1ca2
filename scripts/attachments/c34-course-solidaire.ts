import { csv, type AttachmentGenerator } from './lib';

/**
 * Laps run by each pupil at a school charity run, one line per pupil, classes mixed up so that the
 * learner has to filter. Challenges: c34-automatisationdonnees-4-a (pupils of 5B with at least 10
 * laps), -5-a (the two best runners) and -6-a (money raised when the sponsor caps laps at 15).
 */

interface Runner {
  prenom: string;
  classe: string;
  tours: number;
}

const RUNNERS: readonly Runner[] = [
  { prenom: 'Aya', classe: '6A', tours: 8 },
  { prenom: 'Bastien', classe: '6A', tours: 12 },
  { prenom: 'Chloé', classe: '6A', tours: 15 },
  { prenom: 'Diego', classe: '6A', tours: 6 },
  { prenom: 'Elsa', classe: '6A', tours: 11 },
  { prenom: 'Farid', classe: '6A', tours: 9 },
  { prenom: 'Gabin', classe: '6A', tours: 14 },
  { prenom: 'Hana', classe: '6A', tours: 7 },
  { prenom: 'Inès', classe: '5B', tours: 10 },
  { prenom: 'Jules', classe: '5B', tours: 9 },
  { prenom: 'Kenza', classe: '5B', tours: 13 },
  { prenom: 'Léo', classe: '5B', tours: 18 },
  { prenom: 'Manon', classe: '5B', tours: 10 },
  { prenom: 'Nathan', classe: '5B', tours: 7 },
  { prenom: 'Océane', classe: '5B', tours: 12 },
  { prenom: 'Paul', classe: '5B', tours: 9 },
  { prenom: 'Quentin', classe: '4A', tours: 16 },
  { prenom: 'Rania', classe: '4A', tours: 11 },
  { prenom: 'Samuel', classe: '4A', tours: 8 },
  { prenom: 'Tess', classe: '4A', tours: 20 },
  { prenom: 'Ugo', classe: '4A', tours: 13 },
  { prenom: 'Victoire', classe: '4A', tours: 10 },
  { prenom: 'Wassim', classe: '4A', tours: 17 },
  { prenom: 'Xavier', classe: '4A', tours: 5 },
  { prenom: 'Yasmine', classe: '3C', tours: 14 },
  { prenom: 'Zoé', classe: '3C', tours: 19 },
  { prenom: 'Adam', classe: '3C', tours: 12 },
  { prenom: 'Bérénice', classe: '3C', tours: 9 },
  { prenom: 'Camille', classe: '3C', tours: 15 },
  { prenom: 'Dylan', classe: '3C', tours: 11 },
  { prenom: 'Émilie', classe: '3C', tours: 16 },
  { prenom: 'Fanny', classe: '3C', tours: 13 },
];

/** Park–Miller generator with a fixed seed: the same shuffled order every time. */
function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  const next = (): number => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const ROWS = seededShuffle(RUNNERS, 20250314);
const EUROS_PER_LAP = 1.5;
const CAP = 15;

const ranked = [...RUNNERS].sort((a, b) => b.tours - a.tours);

const generator: AttachmentGenerator = [
  {
    file: '3.4/course-solidaire.csv',
    build: () => csv([['prenom', 'classe', 'tours'], ...ROWS.map((r) => [r.prenom, r.classe, r.tours])]),
    facts: {
      eleves: RUNNERS.length,
      eleves5bAuMoins10Tours: RUNNERS.filter((r) => r.classe === '5B' && r.tours >= 10).length,
      deuxMeilleurs: ranked.slice(0, 2).map((r) => r.prenom),
      troisiemeTours: ranked[2]!.tours,
      deuxiemeTours: ranked[1]!.tours,
      sommeVerseeEuros: RUNNERS.reduce((sum, r) => sum + Math.min(r.tours, CAP), 0) * EUROS_PER_LAP,
      sommeSansPlafondEuros: RUNNERS.reduce((sum, r) => sum + r.tours, 0) * EUROS_PER_LAP,
    },
  },
];

export default generator;
