import { jpegWithExif, type AttachmentGenerator, type Rgb } from './lib';

/**
 * A holiday photo whose file name claims a beach in Biarritz while its Exif GPS position is the
 * abbey of Le Mont-Saint-Michel (Manche). Challenge c42-tracenumerique-5-a asks for the town,
 * c42-tracenumerique-4-a for the camera model and the hour the photo was taken.
 */

const POSITION = { lat: 48.6361, lon: -1.5115 };
const MODEL = 'Lumio X5';
const TAKEN = '2024:07:14 10:32:00';

const WIDTH = 160;
const HEIGHT = 120;

/** Sky, a grey mount with its spire, sand flats in front: enough to look like a photo. */
function draw(x: number, y: number): Rgb {
  const mountTop = 30 + Math.abs(x - 80) * 1.1;
  const spire = Math.abs(x - 80) <= 1 && y >= 14;
  if (y >= 92) return [196, 178, 140];
  if (spire || y >= mountTop) return [110 + (y % 7) * 3, 108, 104];
  return [120 + Math.floor(y / 2), 170 + Math.floor(y / 3), 230];
}

const generator: AttachmentGenerator = [
  {
    file: '4.2/plage-biarritz.jpg',
    build: () =>
      jpegWithExif({
        width: WIDTH,
        height: HEIGHT,
        draw,
        make: 'Lumio',
        model: MODEL,
        dateTimeOriginal: TAKEN,
        dateTime: TAKEN,
        gps: POSITION,
      }),
    facts: {
      commune: 'Le Mont-Saint-Michel',
      latitude: POSITION.lat,
      longitude: POSITION.lon,
      modele: MODEL,
      heure: 10,
    },
  },
];

export default generator;
