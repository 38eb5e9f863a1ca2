import { jpegWithExif, type AttachmentGenerator } from './lib';

/**
 * A photo that circulates with a misleading caption ("hailstorm this morning, 3 June 2025"); its
 * Exif data tell another story. Challenge c32-metadonneesphoto-5-a asks for the day it was taken
 * and the camera model, read from the file's properties or any Exif viewer.
 */

const MAKE = 'Orbis';
const MODEL = 'Orbis Z30';
/** Exif's own format: local time of the camera. */
const TAKEN = '2023:08:14 19:42:10';

const [datePart = ''] = TAKEN.split(' ');
const [year, month, day] = datePart.split(':');

/** A stormy sky over a field: grey-blue at the top, green at the bottom, a pale band between. */
const sky = (x: number, y: number): readonly [number, number, number] => {
  if (y < 70) return [70 + (y >> 1), 80 + (y >> 1), 110 + (y >> 1)];
  if (y < 80) return [190, 190, 170];
  return [40 + ((x * 7) % 30), 120 + ((x + y) % 25), 50];
};

const generator: AttachmentGenerator = [
  {
    file: '3.2/photo-orage.jpg',
    build: () =>
      jpegWithExif({
        width: 160,
        height: 120,
        draw: sky,
        quality: 85,
        make: MAKE,
        model: MODEL,
        dateTime: TAKEN,
        dateTimeOriginal: TAKEN,
      }),
    facts: {
      modele: MODEL,
      datePrise: `${day}/${month}/${year}`,
    },
  },
];

export default generator;
