import jpegJs from 'jpeg-js';
import { PDFDocument } from 'pdf-lib';
import { exifPayload, insertApp1, jpegWithExif, pdf, readExif } from '../../../../scripts/attachments/lib';

describe('jpegWithExif', () => {
  const spec = {
    width: 32,
    height: 24,
    draw: (x: number, y: number) => [x * 8, y * 10, 100] as const,
    make: 'Fictiphone',
    model: 'F12 Pro',
    dateTime: '2023:07:14 22:05:30',
    gps: { lat: 48.85837, lon: -1.234567 },
  };
  const bytes = jpegWithExif(spec);

  it('is a JPEG that decodes to the drawn size', () => {
    const image = jpegJs.decode(bytes, { useTArray: true });
    expect([image.width, image.height]).toEqual([32, 24]);
    // Lossy, but the top-left corner stays close to its drawn colour.
    expect(Math.abs(image.data[2]! - 100)).toBeLessThan(12);
  });

  it('carries camera, date and GPS position that a reader finds again', () => {
    const exif = readExif(bytes)!;
    expect(exif.make).toBe('Fictiphone');
    expect(exif.model).toBe('F12 Pro');
    expect(exif.dateTime).toBe('2023:07:14 22:05:30');
    expect(exif.dateTimeOriginal).toBe('2023:07:14 22:05:30');
    expect(exif.gps!.lat).toBeCloseTo(48.85837, 5);
    expect(exif.gps!.lon).toBeCloseTo(-1.234567, 5);
  });

  it('writes a little-endian TIFF in an APP1 segment', () => {
    const payload = exifPayload({ make: 'X' });
    expect(Buffer.from(payload.subarray(0, 10))).toEqual(
      Buffer.from([0x45, 0x78, 0x69, 0x66, 0, 0, 0x49, 0x49, 0x2a, 0]),
    );
    const at = Buffer.from(bytes).indexOf(Buffer.from([0xff, 0xe1]));
    expect(at).toBeGreaterThan(1);
    expect(at).toBeLessThan(Buffer.from(bytes).indexOf(Buffer.from([0xff, 0xdb]))); // before the tables
  });

  it('reads big-endian files too', () => {
    // A hand-written big-endian TIFF with only Make = "AB".
    const tiff = [
      0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x0f, 0, 2, 0, 0, 0, 3, 0x41, 0x42, 0, 0, 0, 0, 0, 0,
    ];
    const jpeg = insertApp1(
      Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]),
      Uint8Array.from([0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]),
    );
    expect(readExif(jpeg)).toEqual({ make: 'AB' });
  });

  it('has no Exif when none is given, and is reproducible', () => {
    expect(
      readExif(new Uint8Array(jpegJs.encode({ data: new Uint8Array(16), width: 2, height: 2 }).data)),
    ).toBeUndefined();
    expect(Buffer.from(jpegWithExif(spec))).toEqual(Buffer.from(bytes));
  });

  it('refuses malformed dates and positions', () => {
    expect(() => jpegWithExif({ width: 1, height: 1, dateTime: '2023-07-14' })).toThrow(/Exif dates/);
    expect(() => jpegWithExif({ width: 1, height: 1, gps: { lat: 91, lon: 0 } })).toThrow(/GPS/);
  });
});

describe('pdf', () => {
  const spec = {
    title: 'Règlement intérieur',
    author: 'Collège Jean-Moulin',
    subject: 'Usage du numérique',
    keywords: ['règlement', 'numérique'],
    created: new Date('2024-09-02T08:00:00Z'),
    modified: new Date('2024-09-10T16:30:00Z'),
    pages: [
      [
        { text: 'Règlement', size: 18, bold: true },
        'Article 1\u202F: les téléphones restent éteints. '.repeat(20),
      ],
      ['Page deux « fin ».'],
    ],
  };

  it('loads back with its pages and fixed metadata', async () => {
    const doc = await PDFDocument.load(await pdf(spec), { updateMetadata: false });
    expect(doc.getPageCount()).toBe(2);
    expect(doc.getTitle()).toBe('Règlement intérieur');
    expect(doc.getAuthor()).toBe('Collège Jean-Moulin');
    expect(doc.getSubject()).toBe('Usage du numérique');
    expect(doc.getKeywords()).toBe('règlement numérique');
    expect(doc.getCreationDate()?.toISOString()).toBe('2024-09-02T08:00:00.000Z');
    expect(doc.getModificationDate()?.toISOString()).toBe('2024-09-10T16:30:00.000Z');
  });

  it('is reproducible', async () => {
    expect(Buffer.from(await pdf(spec))).toEqual(Buffer.from(await pdf(spec)));
  });

  it('refuses text that overflows a page', async () => {
    await expect(pdf({ ...spec, pages: [['mot '.repeat(6000)]] })).rejects.toThrow(/overflow/);
  });
});
