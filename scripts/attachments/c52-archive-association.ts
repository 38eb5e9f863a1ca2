import { jpegWithExif, pdf, zip, type AttachmentGenerator, type ZipEntry } from './lib';

/**
 * A club's documents received as a zip, with the traps of real inboxes: two programs disguised
 * with a double extension (Windows hides the last one by default), an upper-case .PDF that is a
 * real PDF, and a text note named "budget.pdf.txt" that is not.
 * Challenges: c52-extensionsfichiers-4-a (how many real PDF documents) and
 * c52-extensionsfichiers-5-a (which two files are programs).
 */

const CREATED = new Date(Date.UTC(2025, 2, 14, 9, 0, 0));
const FOLDER = 'Documents-association';

const text = (content: string): string => content.replace(/\n/g, '\r\n');

/** A harmless stand-in: the name makes it a program for the system, the content is plain text. */
const FAKE_PROGRAM = text(
  'Fichier d’exercice : ce fichier porte le nom d’un programme mais ne contient que ce texte.\n',
);

const letter = (title: string, body: string): Promise<Uint8Array> =>
  pdf({
    title,
    author: 'Association Les Jardins partagés',
    created: CREATED,
    modified: CREATED,
    pages: [[{ text: title, size: 18, bold: true }, body]],
  });

/** Each file of the archive: its name inside the folder and how to build its bytes. */
const FILES: { name: string; data: () => Promise<Uint8Array | string> | Uint8Array | string }[] = [
  {
    name: 'Compte-rendu-AG.pdf',
    data: () =>
      letter(
        'Compte rendu de l’assemblée générale',
        'Présents : 23 adhérents. Le budget 2025 est adopté à l’unanimité.',
      ),
  },
  {
    name: 'Releve-banque-mars.PDF',
    data: () => letter('Relevé de compte — mars 2025', 'Solde au 31 mars : 1 482,50 €.'),
  },
  {
    name: 'Statuts.pdf',
    data: () =>
      letter(
        'Statuts de l’association',
        'Article 1 : il est fondé une association régie par la loi de 1901.',
      ),
  },
  { name: 'facture_mars.pdf.exe', data: () => FAKE_PROGRAM },
  { name: 'photo_soiree.jpg.scr', data: () => FAKE_PROGRAM },
  {
    name: 'budget.pdf.txt',
    data: () => text('Budget prévisionnel : 2 400 € de dépenses, 2 450 € de recettes.\n'),
  },
  {
    name: 'affiche-fete.jpg',
    data: () =>
      jpegWithExif({ width: 24, height: 32, draw: (x, y) => (y < 16 ? [240, 180, 40] : [40, 120, 60 + x]) }),
  },
  { name: 'a-lire.txt', data: () => text('Merci de relire les statuts avant la prochaine réunion.\n') },
];

async function entries(): Promise<ZipEntry[]> {
  const built: ZipEntry[] = [];
  for (const file of FILES) built.push({ path: `${FOLDER}/${file.name}`, data: await file.data() });
  return built;
}

const NAMES = FILES.map((f) => f.name);
const PROGRAM_EXTENSIONS = ['exe', 'scr', 'bat', 'cmd', 'com', 'msi', 'js', 'vbs'];
const extension = (name: string): string => name.split('.').pop()!.toLowerCase();

const generator: AttachmentGenerator = [
  {
    file: '5.2/documents-association.zip',
    build: async () => zip(await entries()),
    facts: {
      fichiers: NAMES.length,
      vraisPdf: NAMES.filter((n) => extension(n) === 'pdf').length,
      programmesDeguises: NAMES.filter((n) => PROGRAM_EXTENSIONS.includes(extension(n))),
    },
  },
];

export default generator;
