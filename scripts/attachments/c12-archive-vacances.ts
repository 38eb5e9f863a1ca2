import { jpegWithExif, zip, type AttachmentGenerator, type Rgb, type ZipEntry } from './lib';

/**
 * A messy holiday folder, zipped: photos spread over sub-folders, with the traps learners really
 * meet (upper-case .JPG, .jpeg, a duplicate "(1)", a text note named "plage.jpg.txt").
 * Challenge c12-organisationfichiers-5-a asks how many JPEG photos the archive holds.
 */

const photo = (colour: Rgb): Uint8Array =>
  jpegWithExif({ width: 16, height: 12, draw: (x, y) => (y < 6 ? colour : [x * 10, 120, 60]) });

const text = (content: string): string => content.replace(/\n/g, '\r\n');

const entries: ZipEntry[] = [
  { path: 'Vacances-ete/IMG_0001.jpg', data: photo([200, 60, 60]) },
  { path: 'Vacances-ete/IMG_0002.jpg', data: photo([60, 200, 60]) },
  { path: 'Vacances-ete/IMG_0003.JPG', data: photo([60, 60, 200]) },
  { path: 'Vacances-ete/liste-valises.txt', data: text('Maillots\nCrème solaire\nChargeurs\n') },
  { path: 'Vacances-ete/Jour1-Lyon/fourviere.jpg', data: photo([220, 200, 120]) },
  { path: 'Vacances-ete/Jour1-Lyon/parc-tete-d-or.jpeg', data: photo([40, 160, 40]) },
  { path: 'Vacances-ete/Jour1-Lyon/billets-train.txt', data: text('Aller : 8 h 12, voiture 14\n') },
  { path: 'Vacances-ete/Jour2-Annecy/lac.jpg', data: photo([40, 120, 220]) },
  { path: 'Vacances-ete/Jour2-Annecy/lac (1).jpg', data: photo([40, 120, 220]) },
  {
    path: 'Vacances-ete/Jour2-Annecy/plage.jpg.txt',
    data: text('Penser à envoyer la photo de la plage à Mamie.\n'),
  },
  { path: 'Vacances-ete/Documents/budget.csv', data: text('Poste;Montant\nTrain;126\nCamping;210\n') },
  { path: 'Vacances-ete/Documents/devis-location.txt', data: text('Location vélo : 3 jours, 45 €\n') },
  { path: 'Vacances-ete/A-trier/IMG_0107.jpeg', data: photo([180, 90, 200]) },
  { path: 'Vacances-ete/A-trier/legende-video.txt', data: text('Vidéo du lac au coucher du soleil\n') },
];

const isJpeg = (path: string): boolean => /\.jpe?g$/i.test(path);

const generator: AttachmentGenerator = [
  {
    file: '1.2/vacances-ete.zip',
    build: () => zip(entries),
    facts: {
      photosJpeg: entries.filter((e) => isJpeg(e.path)).length,
      fichiers: entries.length,
    },
  },
];

export default generator;
