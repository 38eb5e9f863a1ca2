import { docx, odt, type AttachmentGenerator, type Paragraph, type TrackedChange } from './lib';

/**
 * Two word-processing files for competence 3.1.
 * - c31-suivimodifications-4-a: a club newsletter draft with tracked changes by two people; the
 *   learner finds who moved the meeting and where it takes place once every change is accepted.
 * - c31-stylesstructure-5-a: a report whose headings look alike, but only some carry the
 *   "Heading 2" style; one is plain bold text. The learner counts the real ones and names the fake.
 */

const change = (type: TrackedChange['type'], author: string, iso: string): TrackedChange => ({
  type,
  author,
  date: new Date(iso),
});

const PLACE_BEFORE = 'gymnase Jean-Moulin';
const PLACE_AFTER = 'salle des fêtes';
const PLACE_EDITOR = 'Camille Roux';
const OTHER_EDITOR = 'Bilal Haddad';

const newsletter: Paragraph[] = [
  { style: 'Title', runs: ['Lettre du club de badminton – mars 2025'] },
  {
    runs: [
      "L'assemblée générale du club aura lieu le samedi 22 mars à 14 h, ",
      { text: `au ${PLACE_BEFORE}`, change: change('deletion', PLACE_EDITOR, '2025-03-03T09:12:00Z') },
      { text: `à la ${PLACE_AFTER}`, change: change('insertion', PLACE_EDITOR, '2025-03-03T09:12:00Z') },
      '. Tous les adhérents y sont invités.',
    ],
  },
  {
    runs: [
      'La cotisation annuelle passe de 40 € à ',
      { text: '45 €', change: change('deletion', OTHER_EDITOR, '2025-03-04T17:40:00Z') },
      { text: '42 €', change: change('insertion', OTHER_EDITOR, '2025-03-04T17:40:00Z') },
      ' à partir de septembre.',
    ],
  },
  {
    runs: [
      'Le tournoi de printemps se jouera en double mixte',
      { text: ' et en simple', change: change('insertion', OTHER_EDITOR, '2025-03-04T17:42:00Z') },
      '. Les inscriptions ouvrent le 1er avril.',
    ],
  },
  { runs: ['Sportivement,'] },
  { runs: ["Le bureau de l'association"] },
];

interface Section {
  heading: string;
  /** A real "Heading 2" paragraph, or bold text in a normal paragraph that only looks like one. */
  realHeading: boolean;
  body: string;
}

const sections: Section[] = [
  {
    heading: 'Contexte',
    realHeading: true,
    body: 'Le collège souhaite réduire les déchets de la cantine. Ce rapport présente les mesures faites en janvier.',
  },
  {
    heading: 'Méthode',
    realHeading: true,
    body: 'Pendant deux semaines, les élèves volontaires ont pesé les restes de chaque plateau.',
  },
  {
    heading: 'Résultats',
    realHeading: false,
    body: 'En moyenne, 95 g de nourriture sont jetés par repas, surtout du pain et des légumes.',
  },
  {
    heading: 'Propositions',
    realHeading: true,
    body: 'Proposer deux tailles de portion, couper le pain en plus petits morceaux, afficher les résultats chaque mois.',
  },
  {
    heading: 'Conclusion',
    realHeading: true,
    body: 'Ces mesures simples pourraient réduire le gaspillage d’un tiers. Un nouveau bilan est prévu en juin.',
  },
];

const report: Paragraph[] = [
  { style: 'Title', runs: ['Rapport : le gaspillage à la cantine'] },
  ...sections.flatMap((s): Paragraph[] => [
    s.realHeading ? { style: 'Heading2', runs: [s.heading] } : { runs: [{ text: s.heading, bold: true }] },
    { runs: [s.body] },
  ]),
];

const created = new Date('2025-03-01T08:00:00Z');

const generator: AttachmentGenerator = [
  {
    file: '3.1/lettre-club-modifications.docx',
    build: () =>
      docx(newsletter, {
        title: 'Lettre du club – mars 2025',
        author: 'Bureau du club',
        created,
        modified: new Date('2025-03-04T17:42:00Z'),
      }),
    facts: {
      auteurLieu: PLACE_EDITOR,
      lieuFinal: PLACE_AFTER,
    },
  },
  {
    file: '3.1/rapport-cantine-styles.odt',
    build: () => odt(report, { title: 'Rapport cantine', author: 'Classe de 4e B', created }),
    facts: {
      titres2: sections.filter((s) => s.realHeading).length,
      fauxTitre: sections.filter((s) => !s.realHeading).map((s) => s.heading),
    },
  },
];

export default generator;
