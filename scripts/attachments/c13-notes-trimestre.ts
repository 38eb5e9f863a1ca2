import { csv, type AttachmentGenerator, type CsvCell } from './lib';

/**
 * A term's marks for three classes, exported as CSV. Some pupils were absent ("abs"): they must be
 * left out of the average, which a spreadsheet's AVERAGE/MOYENNE does by itself but a hand count may
 * not. Challenge c13-tableurformules-4-b asks for class B's average, rounded to one decimal place.
 */

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'Adam',
  'Bérénice',
  'Camille',
  'Djibril',
  'Eva',
  'Fatou',
  'Gabriel',
  'Hana',
  'Ilan',
  'Jade',
  'Kylian',
  'Léna',
  'Mathis',
  'Nina',
  'Omar',
  'Pauline',
  'Quentin',
  'Rose',
  'Sami',
  'Tess',
  'Victor',
  'Wendy',
  'Yanis',
  'Zélie',
];
const CLASSES = ['A', 'B', 'C'] as const;

interface Mark {
  eleve: string;
  classe: (typeof CLASSES)[number];
  /** Out of 20, in half points; null when absent. */
  note: number | null;
}

function marks(): Mark[] {
  const rand = mulberry32(3062025);
  const out: Mark[] = [];
  for (const classe of CLASSES) {
    NAMES.forEach((name, i) => {
      if ((i + classe.charCodeAt(0)) % 3 === 0) return; // each class has 16 pupils
      const absent = rand() < 0.1;
      out.push({ eleve: name, classe, note: absent ? null : Math.round((4 + rand() * 16) * 2) / 2 });
    });
  }
  // Interleave classes as an export sorted by name would.
  return out.sort((a, b) => a.eleve.localeCompare(b.eleve, 'fr') || a.classe.localeCompare(b.classe));
}

const list = marks();
const rows: CsvCell[][] = [
  ['Élève', 'Classe', 'Note /20'],
  ...list.map((m) => [m.eleve, m.classe, m.note ?? 'abs']),
];

const present = (classe: string): number[] =>
  list.filter((m) => m.classe === classe && m.note !== null).map((m) => m.note as number);
const average = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
const allB = list.filter((m) => m.classe === 'B');

const generator: AttachmentGenerator = [
  {
    file: '1.3/notes-trimestre.csv',
    build: () => csv(rows),
    facts: {
      moyenneClasseB: Math.round(average(present('B')) * 10) / 10,
      moyenneClasseBExacte: average(present('B')),
      /** What one gets by counting absent pupils as 0: a tempting wrong answer. */
      moyenneClasseBAbsentsAZero:
        Math.round((present('B').reduce((s, v) => s + v, 0) / allB.length) * 10) / 10,
      absentsClasseB: allB.length - present('B').length,
      moyenneGenerale:
        Math.round(average(list.filter((m) => m.note !== null).map((m) => m.note as number)) * 10) / 10,
    },
  },
];

export default generator;
