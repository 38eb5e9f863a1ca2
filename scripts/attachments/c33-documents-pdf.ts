import { pdf, type AttachmentGenerator, type PdfBlock } from './lib';

/**
 * Two PDFs for competence 3.3.
 * - c33-proprietesdocument-4-a / -5-a: a report whose cover says "the project team" while the
 *   document properties name the real author; the learner reads author, page count and keywords.
 * - c33-licencesdroits-4-a: a guide whose last page states a CC BY-NC licence; the learner decides
 *   whether its sowing calendar (page 2, plain text so that every reader sees the same thing) may go
 *   into a brochure that is sold.
 */

const REPORT_AUTHOR = 'Inès Morel';
const REPORT_KEYWORDS = ['cantine', 'gaspillage', 'compost'];

const reportPages: PdfBlock[][] = [
  [
    { text: 'Réduire le gaspillage à la cantine', size: 22, bold: true },
    { text: 'Bilan de l’année scolaire 2024-2025', size: 14 },
    'Rédigé par l’équipe projet du collège.',
  ],
  [
    { text: '1. Ce que nous avons mesuré', size: 15, bold: true },
    'Pendant six semaines, les restes de chaque plateau ont été pesés au moment du retour.',
    'La moyenne est passée de 110 g à 82 g par repas entre septembre et mai.',
  ],
  [
    { text: '2. Ce qui a marché', size: 15, bold: true },
    'Deux tailles de portion, du pain coupé en petits morceaux et un affichage mensuel des résultats.',
  ],
  [
    { text: '3. Le composteur', size: 15, bold: true },
    'Depuis mars, les épluchures de la cuisine vont au composteur du jardin pédagogique.',
  ],
  [
    { text: '4. Et l’an prochain ?', size: 15, bold: true },
    'Étendre la pesée au lycée voisin et associer les parents d’élèves au suivi.',
  ],
];

const LICENCE = 'CC BY-NC 4.0';

const guidePages: PdfBlock[][] = [
  [
    { text: 'Petit guide du jardin partagé', size: 22, bold: true },
    'Textes et calendrier : Hugo Lambert.',
    'Ce guide explique comment préparer un potager collectif en ville.',
  ],
  [
    { text: 'Le calendrier des semis', size: 15, bold: true },
    'Mars : radis, petits pois.',
    'Avril : carottes, salades.',
    'Mai : haricots, courgettes.',
    'Juin : potirons, basilic.',
  ],
  [
    { text: 'Conditions de réutilisation', size: 15, bold: true },
    `Ce guide, calendrier compris, est publié sous licence Creative Commons ${LICENCE} (Attribution - Pas d’utilisation commerciale).`,
    'Vous pouvez le copier, le diffuser et le modifier, à condition de citer l’auteur et de ne pas en faire un usage commercial.',
    'Pour toute autre utilisation, contactez l’auteur.',
  ],
];

const generator: AttachmentGenerator = [
  {
    file: '3.3/bilan-cantine.pdf',
    build: () =>
      pdf({
        title: 'Bilan gaspillage cantine 2024-2025',
        author: REPORT_AUTHOR,
        subject: 'Bilan du projet anti-gaspillage',
        keywords: REPORT_KEYWORDS,
        created: new Date('2025-06-20T10:00:00Z'),
        pages: reportPages,
      }),
    facts: { auteur: REPORT_AUTHOR, pages: reportPages.length, motsCles: REPORT_KEYWORDS },
  },
  {
    file: '3.3/guide-jardin-partage.pdf',
    build: () =>
      pdf({
        title: 'Petit guide du jardin partagé',
        author: 'Hugo Lambert',
        created: new Date('2024-04-02T09:00:00Z'),
        pages: guidePages,
      }),
    facts: { licence: LICENCE, permis: 'non' },
  },
];

export default generator;
