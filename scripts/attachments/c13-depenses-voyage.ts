import { ods, type AttachmentGenerator, type SheetCell } from './lib';

/**
 * A group trip's expenses in an OpenDocument spreadsheet. Challenge c13-tableurformules-5-b asks for
 * the total of the "Transport" expenses and the number of expenses above 50 €: a conditional sum and
 * a conditional count (SOMME.SI / NB.SI, or a filter).
 */

interface Expense {
  date: string;
  libelle: string;
  categorie: 'Transport' | 'Hébergement' | 'Repas' | 'Activités';
  payePar: string;
  montant: number;
}

const EXPENSES: Expense[] = [
  {
    date: '2025-07-05',
    libelle: 'Billets de train aller',
    categorie: 'Transport',
    payePar: 'Inès',
    montant: 184.4,
  },
  { date: '2025-07-05', libelle: 'Pique-nique', categorie: 'Repas', payePar: 'Théo', montant: 23.8 },
  {
    date: '2025-07-05',
    libelle: 'Auberge de jeunesse (3 nuits)',
    categorie: 'Hébergement',
    payePar: 'Awa',
    montant: 243,
  },
  { date: '2025-07-06', libelle: 'Tickets de bus', categorie: 'Transport', payePar: 'Théo', montant: 12.6 },
  { date: '2025-07-06', libelle: 'Visite du château', categorie: 'Activités', payePar: 'Inès', montant: 36 },
  { date: '2025-07-06', libelle: 'Dîner au restaurant', categorie: 'Repas', payePar: 'Awa', montant: 67.5 },
  { date: '2025-07-07', libelle: 'Location de vélos', categorie: 'Activités', payePar: 'Lucas', montant: 54 },
  { date: '2025-07-07', libelle: 'Courses', categorie: 'Repas', payePar: 'Lucas', montant: 41.25 },
  {
    date: '2025-07-07',
    libelle: 'Bateau pour l\u2019île',
    categorie: 'Transport',
    payePar: 'Awa',
    montant: 48,
  },
  { date: '2025-07-08', libelle: 'Glaces', categorie: 'Repas', payePar: 'Théo', montant: 14 },
  {
    date: '2025-07-08',
    libelle: 'Taxi jusqu\u2019à la gare',
    categorie: 'Transport',
    payePar: 'Lucas',
    montant: 27.3,
  },
  {
    date: '2025-07-08',
    libelle: 'Billets de train retour',
    categorie: 'Transport',
    payePar: 'Inès',
    montant: 171.6,
  },
  { date: '2025-07-08', libelle: 'Musée de la marine', categorie: 'Activités', payePar: 'Awa', montant: 28 },
];

const rows: SheetCell[][] = [
  ['Date', 'Libellé', 'Catégorie', 'Payé par', 'Montant (€)'],
  ...EXPENSES.map((e) => [e.date, e.libelle, e.categorie, e.payePar, e.montant]),
];

// Sums in cents so that floating point never leaks into the stated answer.
const cents = (v: number): number => Math.round(v * 100);
const totalTransport =
  EXPENSES.filter((e) => e.categorie === 'Transport').reduce((s, e) => s + cents(e.montant), 0) / 100;

const generator: AttachmentGenerator = [
  {
    file: '1.3/depenses-voyage.ods',
    build: () =>
      ods([{ name: 'Dépenses', rows, header: true, columnWidths: [12, 30, 14, 10, 12] }], {
        title: 'Dépenses du voyage',
        author: 'Awa',
        created: new Date(Date.UTC(2025, 6, 9, 18, 0, 0)),
      }),
    facts: {
      totalTransport,
      depensesPlusDe50: EXPENSES.filter((e) => e.montant > 50).length,
      totalGeneral: EXPENSES.reduce((s, e) => s + cents(e.montant), 0) / 100,
      nombreDepenses: EXPENSES.length,
    },
  },
];

export default generator;
