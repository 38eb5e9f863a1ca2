import { csv, type AttachmentGenerator, type CsvCell } from './lib';

/**
 * A club's member export (CSV, ";" separated, as a French spreadsheet writes it). Challenge
 * c12-formatsfichiers-4-b asks how many members living in Lyon have not paid this year's fee:
 * the learner must open the file in a spreadsheet and filter two columns.
 */

/** Small seeded generator (mulberry32) so the list looks varied yet never changes. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Amina',
  'Bastien',
  'Chloé',
  'Dylan',
  'Elif',
  'Farid',
  'Gaëlle',
  'Hugo',
  'Inès',
  'Jonas',
  'Kenza',
  'Louis',
  'Maëlys',
  'Nathan',
  'Océane',
  'Pierre',
  'Rania',
  'Samuel',
  'Thi Ha',
  'Ulysse',
  'Valentina',
  'Wassim',
  'Yasmine',
  'Zoé',
];
const LAST = [
  'Bernard',
  'Diallo',
  'Nguyen',
  'Martin',
  'Moreau',
  'Haddad',
  'Lefèvre',
  'Kowalski',
  'Petit',
  'Garcia',
  'Traoré',
  'Rousseau',
  'Benali',
  'Fontaine',
  'Leroy',
  'Da Silva',
];
const TOWNS = ['Lyon', 'Lyon', 'Lyon', 'Villeurbanne', 'Vénissieux', 'Bron', 'Caluire-et-Cuire'];

interface Member {
  nom: string;
  prenom: string;
  ville: string;
  cotisation: 'Payée' | 'Non payée';
  inscription: string;
}

function members(): Member[] {
  const rand = mulberry32(20250115);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const out: Member[] = [];
  for (let i = 0; i < 48; i++) {
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const year = 2019 + Math.floor(rand() * 6);
    out.push({
      nom: pick(LAST),
      prenom: pick(FIRST),
      ville: pick(TOWNS),
      cotisation: rand() < 0.7 ? 'Payée' : 'Non payée',
      inscription: `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`,
    });
  }
  return out;
}

const list = members();
const rows: CsvCell[][] = [
  ['Nom', 'Prénom', 'Ville', 'Cotisation 2025', "Date d'inscription"],
  ...list.map((m) => [m.nom, m.prenom, m.ville, m.cotisation, m.inscription]),
];

const generator: AttachmentGenerator = [
  {
    file: '1.2/adherents-club.csv',
    build: () => csv(rows),
    facts: {
      adherents: list.length,
      lyonNonPayee: list.filter((m) => m.ville === 'Lyon' && m.cotisation === 'Non payée').length,
      lyon: list.filter((m) => m.ville === 'Lyon').length,
      nonPayee: list.filter((m) => m.cotisation === 'Non payée').length,
    },
  },
];

export default generator;
